"""The command menu Telegram shows beside the message box, set at start: the commands anyone may use in private
chats and groups, and every command in the private chats of the admins."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.commands import commands_for
from bot.telegram.access import Access


def menu(edits: bool) -> list[BotCommand]:
    return [BotCommand(c.name, c.summary) for c in commands_for(edits)]


async def set_menus(bot: Bot, access: Access) -> None:
    everyone = menu(edits=access.open_edits)
    await bot.set_my_commands(everyone, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(everyone, scope=BotCommandScopeAllGroupChats())
    if not access.open_edits:
        for admin in sorted(access.admins):
            await bot.set_my_commands(menu(edits=True), scope=BotCommandScopeChat(admin))

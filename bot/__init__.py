"""whosaid's conversation layer: question routing, cited answers, Telegram bot, CLI and terminal chat."""

"""What whosaid says to a question in a language it does not read: in that language where we wrote it, and in
English."""

from __future__ import annotations

from bot.answer.models import Answer

ENGLISH_ONLY = "I read English articles only: please ask in English."
IN_THEIR_LANGUAGE = {
    "ar": "أقرأ المقالات الإنجليزية فقط؛ من فضلك اسأل بالإنجليزية.",
    "de": "Ich lese nur englische Artikel; bitte fragen Sie auf Englisch.",
    "es": "Solo leo artículos en inglés; por favor, pregunta en inglés.",
    "fr": "Je ne lis que des articles en anglais ; posez votre question en anglais, s'il vous plaît.",
    "it": "Leggo solo articoli in inglese; per favore, chiedi in inglese.",
    "ja": "英語の記事しか読めません。英語で質問してください。",
    "ko": "저는 영어 기사만 읽습니다. 영어로 질문해 주세요.",
    "nl": "Ik lees alleen Engelse artikelen; stel je vraag in het Engels.",
    "pl": "Czytam tylko artykuły po angielsku; proszę zapytać po angielsku.",
    "pt": "Só leio artigos em inglês; por favor, pergunte em inglês.",
    "ru": "Я читаю только статьи на английском; пожалуйста, спросите по-английски.",
    "tr": "Yalnızca İngilizce makaleleri okuyorum; lütfen İngilizce sorun.",
    "uk": "Я читаю лише статті англійською; будь ласка, запитайте англійською.",
    "zh": "我只阅读英文文章，请用英文提问。",
}
"""Written here for the languages readers of international news most often write in."""


def english_only(question: str, language: str) -> Answer:
    """The answer to a question in `language`: that we read English only, in their language where we can."""
    theirs = IN_THEIR_LANGUAGE.get(language)
    text = f"{theirs}\n{ENGLISH_ONLY}" if theirs else ENGLISH_ONLY
    return Answer(question=question, answer=text, found=False)

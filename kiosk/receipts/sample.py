"""A fictitious visit, for `pan-kiosk receipt sample`, printer tests by admins, reviewers and benches.

The visit-specific texts below stand in for what the content pack's translations give in a real
session; languages without a sample here fall back to English.
"""

from __future__ import annotations

import datetime as dt

from kiosk.receipts.model import (
    Bilingual,
    HelpContact,
    IncidentData,
    NextStep,
    PreparedDocument,
    ReceiptData,
    Reference,
    Site,
)

SAMPLE_REFERENCE = "ANEF-2026-0042-7731"

# procedure, step 1, step 2, passport, proof of address, application number, attestation valid until
_TEXTS: dict[str, tuple[str, ...]] = {
    "fr": ("Renouvellement du titre de séjour", "Création du compte ANEF", "Dépôt de la demande en ligne",
           "Passeport", "Justificatif de domicile", "Numéro de demande",
           "Votre attestation de dépôt est valable jusqu'à cette date", "Centre de contact citoyen (CCC)"),
    "en": ("Renewal of the residence permit", "Creation of the ANEF account", "Application filed online",
           "Passport", "Proof of address", "Application number",
           "Your filing attestation is valid until this date", "Citizen contact centre (CCC)"),
    "ar": ("تجديد بطاقة الإقامة", "إنشاء حساب ANEF", "إيداع الطلب عبر الإنترنت", "جواز السفر",
           "إثبات السكن", "رقم الطلب", "شهادة الإيداع صالحة حتى هذا التاريخ", "مركز الاتصال (CCC)"),
    "fa": ("تمدید کارت اقامت", "ایجاد حساب ANEF", "ثبت درخواست به‌صورت آنلاین", "گذرنامه",
           "مدرک محل سکونت", "شماره درخواست", "گواهی ثبت شما تا این تاریخ معتبر است",
           "مرکز تماس (CCC)"),
    "ps": ("د استوګنې کارت نوي کول", "د ANEF حساب جوړول", "غوښتنلیک آنلاین وسپارل شو", "پاسپورټ",
           "د استوګنځي ثبوت", "د غوښتنې شمېره", "ستاسو د سپارلو سند تر دې نېټې پورې اعتبار لري",
           "د اړیکو مرکز (CCC)"),
    "ta": ("குடியிருப்பு அனுமதி புதுப்பித்தல்", "ANEF கணக்கு உருவாக்கம்", "விண்ணப்பம் இணையத்தில் சமர்ப்பிக்கப்பட்டது",
           "கடவுச்சீட்டு", "முகவரிச் சான்று", "விண்ணப்ப எண்",
           "உங்கள் சமர்ப்பிப்புச் சான்று இந்தத் தேதி வரை செல்லும்", "தொடர்பு மையம் (CCC)"),
    "bn": ("বসবাসের অনুমতিপত্র নবায়ন", "ANEF অ্যাকাউন্ট তৈরি", "অনলাইনে আবেদন জমা দেওয়া হয়েছে",
           "পাসপোর্ট", "ঠিকানার প্রমাণ", "আবেদন নম্বর", "আপনার জমার সনদ এই তারিখ পর্যন্ত বৈধ",
           "যোগাযোগ কেন্দ্র (CCC)"),
    "zh": ("居留证续签", "创建 ANEF 账户", "在线提交申请", "护照", "住址证明", "申请编号",
           "您的提交证明有效期至该日期", "公民联络中心（CCC）"),
    "ru": ("Продление вида на жительство", "Создание учётной записи ANEF", "Заявление подано онлайн",
           "Паспорт", "Подтверждение адреса", "Номер заявления",
           "Ваше подтверждение подачи действительно до этой даты", "Контактный центр (CCC)"),
    "uk": ("Продовження посвідки на проживання", "Створення облікового запису ANEF",
           "Заяву подано онлайн", "Паспорт", "Підтвердження адреси", "Номер заяви",
           "Ваше підтвердження подання дійсне до цієї дати", "Контактний центр (CCC)"),
}


def _texts(language: str) -> tuple[Bilingual, ...]:
    visitor, french = _TEXTS.get(language, _TEXTS["en"]), _TEXTS["fr"]
    return tuple(Bilingual(v, f) for v, f in zip(visitor, french, strict=True))


SITE = Site("Préfecture de démonstration — point d'accueil numérique",
            "1 place de la République, 00000 Ville-Exemple", "PAN-DEMO-01")
WHEN = dt.datetime(2026, 11, 26, 14, 35)


def sample_receipt(language: str, when: dt.datetime = WHEN) -> ReceiptData:
    proc, account, filed, passport, address, number, valid, ccc = _texts(language)
    return ReceiptData(
        site=SITE, language=language, when=when, procedure=proc,
        official_url="https://www.service-public.fr/particuliers/vosdroits/F2209",
        content_version="2026.11-demo",
        steps_done=(account, filed),
        documents=(PreparedDocument(passport, 2), PreparedDocument(address, 1)),
        references=(Reference(number, SAMPLE_REFERENCE),),
        next_steps=(NextStep(valid, when.date() + dt.timedelta(days=90)),),
        contacts=(HelpContact(ccc, "0 806 001 620"),),
    )


def sample_incident(language: str, screenshot_png: bytes | None = None,
                    when: dt.datetime = WHEN) -> IncidentData:
    proc, _account, filed, *_ = _texts(language)
    return IncidentData(
        site=SITE, language=language, when=when, procedure=proc, step=filed,
        address="https://administration-etrangers-en-france.interieur.gouv.fr/particuliers/"
                "#/espace-personnel/demande?token=SECRET-TOKEN",
        error_text="Erreur 503 — Service momentanément indisponible", content_version="2026.11-demo",
        screenshot_png=screenshot_png)

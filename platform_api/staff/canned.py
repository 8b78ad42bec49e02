"""Ready-made replies staff can send, in each of the tourist's languages."""

from __future__ import annotations

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES

LABELS: dict[str, str] = {
    "received": "We received your complaint",
    "investigating": "We are contacting the business",
    "need_info": "Please send more details",
    "resolved": "The case is resolved",
}

REPLIES: dict[str, dict[str, str]] = {
    "received": {
        "zh": "您好，我们已收到您的投诉，工作人员正在处理，会尽快回复您。",
        "en": "Hello, we have received your complaint. Our staff are handling it and will reply as soon as possible.",
        "ja": "お問い合わせいただいた苦情を受け付けました。担当者が対応しており、できるだけ早くご連絡いたします。",
        "ko": "안녕하세요, 민원이 접수되었습니다. 담당자가 처리 중이며 최대한 빨리 답변드리겠습니다.",
        "fr": "Bonjour, nous avons bien reçu votre réclamation. Notre équipe la traite et vous répondra dès que possible.",
        "de": "Guten Tag, wir haben Ihre Beschwerde erhalten. Unser Team bearbeitet sie und antwortet Ihnen so bald wie möglich.",
        "es": "Hola, hemos recibido su queja. Nuestro personal la está tramitando y le responderá lo antes posible.",
        "ru": "Здравствуйте! Мы получили вашу жалобу. Сотрудники уже занимаются ею и ответят вам как можно скорее.",
    },
    "investigating": {
        "zh": "我们正在与相关商家核实情况，有结果后会第一时间通知您。",
        "en": "We are checking the matter with the business concerned and will let you know as soon as we have a result.",
        "ja": "現在、関係する事業者に事実確認を行っています。結果が出しだいお知らせします。",
        "ko": "현재 해당 업체와 사실을 확인하고 있습니다. 결과가 나오는 대로 알려드리겠습니다.",
        "fr": "Nous vérifions actuellement les faits auprès de l'établissement concerné et vous informerons dès que nous aurons une réponse.",
        "de": "Wir klären den Vorgang gerade mit dem betroffenen Unternehmen und melden uns, sobald wir ein Ergebnis haben.",
        "es": "Estamos verificando lo ocurrido con el establecimiento y le avisaremos en cuanto tengamos un resultado.",
        "ru": "Мы выясняем обстоятельства у этой организации и сообщим вам, как только будет результат.",
    },
    "need_info": {
        "zh": "为便于处理，请补充消费凭证（如发票、付款截图）和事情经过的更多细节。",
        "en": "To help us handle your case, please send proof of payment (a receipt or payment screenshot) and more details of what happened.",
        "ja": "対応のため、支払いの証明（領収書や支払い画面のスクリーンショット）と、経緯の詳細をお送りください。",
        "ko": "처리를 위해 결제 증빙(영수증 또는 결제 화면 캡처)과 경위에 대한 자세한 내용을 보내 주세요.",
        "fr": "Pour traiter votre dossier, merci de nous envoyer une preuve de paiement (reçu ou capture d'écran) et plus de détails sur ce qui s'est passé.",
        "de": "Damit wir Ihren Fall bearbeiten können, senden Sie uns bitte einen Zahlungsnachweis (Quittung oder Screenshot) und weitere Einzelheiten zum Vorfall.",
        "es": "Para tramitar su caso, envíenos un comprobante de pago (recibo o captura de pantalla) y más detalles de lo sucedido.",
        "ru": "Чтобы мы могли рассмотреть обращение, пришлите, пожалуйста, подтверждение оплаты (чек или снимок экрана) и подробнее опишите, что произошло.",
    },
    "resolved": {
        "zh": "您的投诉已处理完毕，感谢您的耐心。如仍有疑问，请随时联系我们。",
        "en": "Your complaint has been resolved. Thank you for your patience. If you have any further questions, please contact us.",
        "ja": "苦情の対応が完了しました。ご協力ありがとうございました。ご不明な点があればお気軽にご連絡ください。",
        "ko": "민원 처리가 완료되었습니다. 기다려 주셔서 감사합니다. 궁금한 점이 있으면 언제든지 연락해 주세요.",
        "fr": "Votre réclamation a été traitée. Merci de votre patience. Pour toute autre question, n'hésitez pas à nous contacter.",
        "de": "Ihre Beschwerde wurde abgeschlossen. Vielen Dank für Ihre Geduld. Bei weiteren Fragen wenden Sie sich gern an uns.",
        "es": "Su queja ha sido resuelta. Gracias por su paciencia. Si tiene más preguntas, no dude en contactarnos.",
        "ru": "Ваша жалоба рассмотрена. Спасибо за терпение. Если остались вопросы, обращайтесь к нам.",
    },
}


def replies_for(language: str) -> list[tuple[str, str, str]]:
    """``(key, staff label, text in the tourist's language)`` for every ready-made reply."""
    lang = language if language in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE
    return [(key, LABELS[key], texts[lang]) for key, texts in REPLIES.items()]

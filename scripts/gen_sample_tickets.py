"""Generate sample_kb/tickets/tickets.csv: a realistic, deterministic ticket log for the Pocket sample.

    python scripts/gen_sample_tickets.py

About 2,000 tickets over January-June 2026 in helpgen's canonical CSV columns. The customer messages are
templates written for this project (not BANKING77 text) about the sample KB's topics, plus about a quarter
about things the KB does not cover (Apple Pay, teen accounts, ATM kept my card, cash deposits, crypto,
lost phone, joint and business accounts...), so the coverage report has real gaps. ~10% never answered;
some replies link articles; some messages carry fake personal data (test card numbers, example emails) so
redaction shows; a few duplicate ids and odd date formats are included on purpose.
"""
from __future__ import annotations

import csv
import math
import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Templates (slots: {days} {amount} {cur} {merchant} {country} {when} {n} {age} {name} {email} ...)
# ---------------------------------------------------------------------------------------------
COVERED: list[dict] = [
    {"article": "cards/track-your-card", "weight": 9,
     "subjects": ["Card not arrived", "Where has my card got to?", "Still waiting for my card", "Card delivery"],
     "bodies": ["I ordered my card {days} days ago and it still hasn't come. Is there a way to track it?",
                "My new card was supposed to arrive by now. It's been {days} days. Can you check where it is?",
                "How long does card delivery to {country} usually take? I ordered mine last week.",
                "The app says my card was sent but nothing in the post after {days} days. What should I do?"],
     "replies": ["Cards usually arrive within 5-7 working days. You can follow the delivery in the app under Card > Track delivery."]},
    {"article": "getting-started/activate-your-card", "weight": 6,
     "subjects": ["Activate card", "Activating the new card", "Card activation"],
     "bodies": ["My card just arrived. How do I activate it before I use it?",
                "I got the card in the post today but I can't find where to activate it in the app.",
                "Do I need to activate the card before paying in a shop?"],
     "replies": ["Open the app, tap Card and then Activate, and scan the code on the letter your card came with."]},
    {"article": "getting-started/verify-your-identity", "weight": 6,
     "subjects": ["Identity check", "How to verify my ID", "Verification"],
     "bodies": ["What documents do I need to verify my identity? I only have a driving licence.",
                "The app asks me to verify my identity. How does that work and how long does it take?",
                "Can I use my residence permit to prove who I am?"],
     "replies": ["You can verify with a passport, national ID card or driving licence from the app: Profile > Verify identity."]},
    {"article": "troubleshooting/identity-verification-failed", "weight": 4,
     "subjects": ["Verification failed", "ID check keeps failing", "Can't verify"],
     "bodies": ["I've tried to verify my ID {n} times and it keeps saying the photo is not clear. Help!",
                "My identity verification was rejected and I don't know why. My passport is valid.",
                "The selfie step fails every time. What am I doing wrong?"],
     "replies": ["Sorry about that. Please retake the photo in daylight with all four corners of the document visible."]},
    {"article": "cards/change-your-pin", "weight": 4,
     "subjects": ["Change PIN", "New PIN", "PIN change"],
     "bodies": ["How can I change the PIN on my card to something I can remember?",
                "I want a different PIN. Can I do it in the app or do I need an ATM?",
                "Is it possible to set my own PIN?"],
     "replies": ["You can change your PIN at any ATM that offers PIN services, or see your current PIN in the app."]},
    {"article": "troubleshooting/pin-blocked", "weight": 4,
     "subjects": ["PIN blocked", "Card locked after wrong PIN", "Too many PIN attempts"],
     "bodies": ["I entered the wrong PIN three times and now my card is blocked. How do I unblock it?",
                "The ATM says my PIN is blocked. What now?",
                "Help, PIN blocked at the supermarket. I need to pay today."],
     "replies": ["You can unblock your PIN in the app under Card > Security > Unblock PIN. It takes effect straight away."]},
    {"article": "security/lost-or-stolen-card", "weight": 6,
     "subjects": ["Lost my card", "Card stolen", "Can't find my card"],
     "bodies": ["I lost my card yesterday somewhere in town. What should I do?",
                "My wallet was stolen with my card in it. Please block it!",
                "I can't find my card anywhere. Can I freeze it until I find it?"],
     "replies": ["Please freeze the card in the app straight away (Card > Freeze). If it's gone for good, tap Report lost or stolen to order a new one."]},
    {"article": "security/unrecognised-card-payment", "weight": 6,
     "subjects": ["Payment I didn't make", "Unknown transaction", "Strange payment on my account"],
     "bodies": ["There's a payment of {amount} {cur} to {merchant} that I don't recognise. I never shopped there.",
                "I see a card payment I did not make on {when}. Is my card hacked?",
                "Someone used my card! {amount} {cur} at {merchant}. I want my money back."],
     "replies": ["Please freeze your card first. Then open the payment in the app and tap 'I don't recognise this' so we can investigate."]},
    {"article": "troubleshooting/card-not-working", "weight": 5,
     "subjects": ["Card not working", "Card doesn't work", "Card stopped working"],
     "bodies": ["My card just stopped working everywhere since {when}. The chip seems fine.",
                "Card is not working in any shop. What is wrong with it?",
                "Why is my card not working? I have enough money on the account."],
     "replies": ["Please check the card isn't frozen in the app and that the shop accepts Mastercard. If it still fails we'll send a replacement."]},
    {"article": "troubleshooting/declined-card-payment", "weight": 7,
     "subjects": ["Payment declined", "Card declined", "Declined at checkout"],
     "bodies": ["My card was declined at {merchant} even though I have {amount} {cur} on my balance.",
                "Why does my payment keep getting declined online?",
                "Card declined at the restaurant last night, very embarrassing. Why?"],
     "replies": ["The app shows the reason for each declined payment: tap the payment in your activity. Most often it's the online payments setting."]},
    {"article": "payments/pending-card-payment", "weight": 5,
     "subjects": ["Pending payment", "Payment still pending", "Transaction pending"],
     "bodies": ["A payment from {when} is still pending. When will it go through?",
                "Why is my card payment at {merchant} showing as pending for {days} days?",
                "The shop says I paid but the app still says pending."],
     "replies": ["Card payments stay pending until the shop completes them, usually within 7 days. If the shop never does, the money comes back."]},
    {"article": "troubleshooting/charged-twice", "weight": 5,
     "subjects": ["Charged twice", "Double payment", "Same payment taken two times"],
     "bodies": ["I was charged twice for the same purchase at {merchant}, {amount} {cur} each time.",
                "There are two identical payments on my account for one coffee. Please fix.",
                "Double charge! I only bought one ticket."],
     "replies": ["Often one of the two is a pending authorisation that disappears within a few days. If both complete, contact the merchant first."]},
    {"article": "payments/request-a-refund", "weight": 4,
     "subjects": ["Refund", "How to get a refund", "Refund request"],
     "bodies": ["I returned an item to {merchant} and want a refund. How does that work?",
                "How do I ask for my money back for an order that never came?",
                "Can you refund a payment I made by mistake?"],
     "replies": ["Refunds are issued by the merchant. Ask them first; if they refuse, you can open a dispute from the payment in the app."]},
    {"article": "payments/reverted-card-payment", "weight": 3,
     "subjects": ["Payment reverted", "Payment disappeared", "Payment cancelled itself"],
     "bodies": ["A payment disappeared from my activity. What does reverted mean?",
                "My payment at {merchant} was reverted, do I still owe them?"],
     "replies": ["A reverted payment means the merchant cancelled the authorisation and the money went back to your balance."]},
    {"article": "fees/card-payment-fees", "weight": 3,
     "subjects": ["Fee on card payment", "Why was I charged a fee"],
     "bodies": ["Why did I pay a fee for a normal card payment of {amount} {cur}?",
                "Is there a fee for paying by card abroad?"],
     "replies": ["Card payments in your account currency are free; a small fee applies to some currencies on weekends."]},
    {"article": "exchange/card-payment-exchange-rate", "weight": 4,
     "subjects": ["Wrong exchange rate", "Exchange rate on payment"],
     "bodies": ["The exchange rate on my payment in {country} is worse than the one in the app. Why?",
                "I paid {amount} {cur} abroad and got a strange rate. Is that right?"],
     "replies": ["Card payments use the network rate at the time the payment is completed, which can differ from the rate you saw earlier."]},
    {"article": "exchange/exchange-rates", "weight": 3,
     "subjects": ["Exchange rates", "What rate do you use"],
     "bodies": ["Which exchange rate do you use and where can I see it?",
                "Where do your exchange rates come from?"],
     "replies": ["We use the interbank rate during the week; you can see the live rate in the app before you exchange."]},
    {"article": "exchange/exchange-in-the-app", "weight": 3,
     "subjects": ["Exchange money", "Convert currency"],
     "bodies": ["How do I exchange {cur} to another currency in the app?",
                "Can I hold money in several currencies and swap between them?"],
     "replies": ["Tap Exchange on the home screen, pick the two currencies and the amount."]},
    {"article": "cash/atm-withdrawals", "weight": 4,
     "subjects": ["ATM", "Cash withdrawal", "Where can I take out cash"],
     "bodies": ["Can I withdraw cash with the card at any ATM in {country}?",
                "How much cash can I take out per day?"],
     "replies": ["You can use any ATM with the Mastercard logo. Daily limits are shown in the app under Card > Limits."]},
    {"article": "troubleshooting/declined-cash-withdrawal", "weight": 3,
     "subjects": ["ATM declined", "Can't withdraw cash"],
     "bodies": ["The ATM refused my card and gave me no cash. I have money on my account.",
                "Cash withdrawal declined twice today, why?"],
     "replies": ["Check the withdrawal limit and that magstripe/ATM withdrawals are switched on under Card > Security."]},
    {"article": "fees/cash-withdrawal-fees", "weight": 3,
     "subjects": ["ATM fee", "Charged for cash withdrawal"],
     "bodies": ["I was charged a fee for taking out {amount} {cur} at an ATM. I thought it was free?",
                "How many free ATM withdrawals do I get each month?"],
     "replies": ["Withdrawals are free up to your plan's monthly allowance; after that a 2% fee applies."]},
    {"article": "top-up/top-up-by-card", "weight": 5,
     "subjects": ["Top up with card", "Add money", "How to top up"],
     "bodies": ["How do I add money to my account with my debit card from another bank?",
                "What is the fastest way to top up my account?",
                "Can I top up with a credit card?"],
     "replies": ["Tap Add money and choose Card. Top-ups by debit card arrive instantly."]},
    {"article": "troubleshooting/top-up-failed", "weight": 4,
     "subjects": ["Top-up failed", "Top up not working", "Can't add money"],
     "bodies": ["My top-up of {amount} {cur} failed but the money left my bank. Where is it?",
                "Every time I try to top up it says 'Top-up failed'.",
                "Top up failing with my card, error message, please help."],
     "replies": ["If the top-up failed, your bank releases the money within a few days. Try again with 3-D Secure enabled."]},
    {"article": "top-up/pending-top-up", "weight": 3,
     "subjects": ["Top-up pending", "Top up still processing"],
     "bodies": ["My top-up is still pending after {days} hours. Is that normal?",
                "Why does my top-up show as pending?"],
     "replies": ["Some top-ups are checked before they arrive; it usually takes less than an hour."]},
    {"article": "top-up/top-up-by-bank-transfer", "weight": 4,
     "subjects": ["Bank transfer to my account", "My account details"],
     "bodies": ["What details do I give my bank to send money to my Pocket account?",
                "How long does a bank transfer into my account take?"],
     "replies": ["Your account details are under Account > Details. Transfers usually arrive within one working day."]},
    {"article": "top-up/auto-top-up", "weight": 2,
     "subjects": ["Automatic top-up", "Auto top up"],
     "bodies": ["Can the account top up automatically when my balance gets low?",
                "How do I turn off auto top-up?"],
     "replies": ["Yes: Add money > Auto top-up lets you set a threshold and amount, and switch it off again."]},
    {"article": "top-up/top-up-limits", "weight": 2,
     "subjects": ["Top-up limit", "Maximum top up"],
     "bodies": ["Is there a maximum amount I can top up in one go?",
                "I hit a limit when adding {amount} {cur}. What are the limits?"],
     "replies": ["Limits depend on your plan and verification level; see Account > Limits."]},
    {"article": "transfers/transfer-times", "weight": 4,
     "subjects": ["Transfer timing question", "Transfer time"],
     "bodies": ["How long will a transfer to a bank in {country} take?",
                "I sent money to my friend this morning, when will it arrive?"],
     "replies": ["Transfers in the same currency usually arrive the same day; international transfers take 1-3 working days."]},
    {"article": "transfers/pending-transfer", "weight": 4,
     "subjects": ["Transfer pending", "Transfer stuck"],
     "bodies": ["My transfer has been pending for {days} days. Why?",
                "The transfer I sent on {when} still says pending."],
     "replies": ["Some transfers need an extra check. You'll get a notification when it's sent."]},
    {"article": "transfers/cancel-a-transfer", "weight": 3,
     "subjects": ["Cancel transfer", "Sent to wrong person"],
     "bodies": ["I sent a transfer to the wrong account. Can I cancel it?",
                "How do I stop a transfer I just made?"],
     "replies": ["You can cancel a transfer while it is still pending: open it in the app and tap Cancel."]},
    {"article": "troubleshooting/failed-transfer", "weight": 3,
     "subjects": ["Transfer failed", "Transfer did not go through"],
     "bodies": ["My transfer of {amount} {cur} failed. Where is the money now?",
                "Transfer failed with no reason. Please help."],
     "replies": ["When a transfer fails the money returns to your balance, usually within 2 working days."]},
    {"article": "troubleshooting/declined-transfer", "weight": 2,
     "subjects": ["Transfer got rejected"],
     "bodies": ["Why was my transfer declined? I have enough money.",
                "The app declined my transfer to a new payee."],
     "replies": ["Transfers can be declined for security checks or limits; the reason is shown on the transfer."]},
    {"article": "fees/transfer-fees", "weight": 2,
     "subjects": ["Transfer fee"],
     "bodies": ["Why was I charged a fee for my transfer?", "Do international transfers cost anything?"],
     "replies": ["Local transfers are free; international transfers have a small fee shown before you confirm."]},
    {"article": "transfers/receive-money", "weight": 3,
     "subjects": ["Receive money", "Salary into account"],
     "bodies": ["Can I get my salary paid into this account?",
                "How can someone abroad send me money?"],
     "replies": ["Yes, share your account details from Account > Details with your employer or the sender."]},
    {"article": "account/close-your-account", "weight": 3,
     "subjects": ["Close my account", "Delete account"],
     "bodies": ["I want to close my account. How do I do that?",
                "Please delete my account and all my data."],
     "replies": ["Sorry to see you go. Move your balance out, then go to Profile > Close account."]},
    {"article": "account/edit-personal-details", "weight": 3,
     "subjects": ["Change address", "Update my details", "Change my name"],
     "bodies": ["I moved house. Where do I put my new home address in the app?",
                "I got married and need to change my surname on the account.",
                "How do I update my phone number? The new one is {phone}."],
     "replies": ["You can update most details in Profile > Personal details; a name change needs a new ID check."]},
    {"article": "security/forgotten-passcode", "weight": 4,
     "subjects": ["Forgot passcode", "Can't log in"],
     "bodies": ["I forgot my passcode and can't log in to the app.",
                "How do I reset the passcode for the app?"],
     "replies": ["Tap 'Forgot passcode' on the login screen and follow the steps; you'll need your email and a selfie."]},
    {"article": "security/compromised-card", "weight": 2,
     "subjects": ["Card details leaked", "Card compromised"],
     "bodies": ["I think my card details were stolen on a fake website. What should I do?",
                "I typed my card number {card} into a phishing site. Help!"],
     "replies": ["Please terminate the card in the app and order a new one; your balance is safe."]},
    {"article": "cards/virtual-card", "weight": 3,
     "subjects": ["Virtual card", "Card for online shopping"],
     "bodies": ["How do I get a virtual card for online shopping?",
                "Is the virtual card free?"],
     "replies": ["Go to Card > Add card > Virtual. It's ready instantly."]},
    {"article": "cards/order-a-physical-card", "weight": 3,
     "subjects": ["Order a card", "Physical card"],
     "bodies": ["How do I order a physical card? I only have the virtual one.",
                "Can I get a plastic card as well?"],
     "replies": ["Order one from Card > Add card > Physical card; delivery takes 5-7 working days."]},
    {"article": "getting-started/supported-countries", "weight": 3,
     "subjects": ["Which countries", "Available in my country?"],
     "bodies": ["Can I open an account if I live in {country}?",
                "Which countries is Pocket available in?"],
     "replies": ["You can open an account if you live in the EEA, the UK or Switzerland."]},
    {"article": "account/source-of-funds", "weight": 2,
     "subjects": ["Source of funds", "Why do you need proof of income"],
     "bodies": ["The app asks where my money comes from. Why do you need that?",
                "What documents can I send to prove my source of funds?"],
     "replies": ["We're required to check where larger amounts come from. A payslip or bank statement is enough."]},
    {"article": "fees/exchange-fees", "weight": 2,
     "subjects": ["Exchange fee"],
     "bodies": ["Is there a fee when I exchange currencies?", "Why did I pay extra when exchanging on Sunday?"],
     "replies": ["Exchanges are free up to your plan's allowance; a weekend markup applies when markets are closed."]},
]

GAPS: list[dict] = [
    {"article": None, "weight": 14, "label": "apple pay / google pay",
     "subjects": ["Apple Pay", "Google Pay", "Add card to wallet"],
     "bodies": ["Can I add my Pocket card to Apple Pay?",
                "Does the card work with Google Pay? I can't find it in the wallet app.",
                "My card won't add to Apple Wallet, it says the card issuer is not supported.",
                "When will you support Google Pay? I really want to pay with my phone."],
     "replies": ["Apple Pay and Google Pay are available for cards issued in the UK and EEA: open your wallet app and tap Add card."]},
    {"article": None, "weight": 10, "label": "teen account age limit",
     "subjects": ["Account for my son", "Age limit", "Teen account"],
     "bodies": ["What is the youngest age someone can open an account here?",
                "Can my {age} year old daughter have her own card?",
                "Is there an account for teenagers under 18?"],
     "replies": ["You need to be 18 to open an account. We're working on accounts for teens."]},
    {"article": None, "weight": 9, "label": "atm kept my card",
     "subjects": ["ATM swallowed my card", "ATM kept my card", "Card stuck in cash machine"],
     "bodies": ["The ATM swallowed my card this morning and didn't give it back. What do I do?",
                "My card got stuck in the cash machine in {country}. I'm travelling!",
                "The machine kept my card after I took out cash."],
     "replies": ["Please freeze the card in the app and order a replacement; ATMs destroy retained cards for security."]},
    {"article": None, "weight": 9, "label": "deposit cash or cheque",
     "subjects": ["Deposit cash", "Pay in a cheque", "Cash deposit"],
     "bodies": ["How can I deposit cash into my account?",
                "I received a cheque. Can I pay it into Pocket?",
                "I paid in cash at a shop {days} days ago and the balance hasn't changed."],
     "replies": ["We don't accept cash or cheques at the moment. You can top up by card or bank transfer."]},
    {"article": None, "weight": 8, "label": "crypto",
     "subjects": ["Bitcoin", "Crypto", "Buy crypto"],
     "bodies": ["Can I buy bitcoin with my Pocket account?",
                "Do you support crypto? I want to send money to an exchange.",
                "Is it possible to hold ethereum in the app?"],
     "replies": ["We don't offer crypto. Some exchanges accept card top-ups from Pocket, but we can't help with their accounts."]},
    {"article": None, "weight": 8, "label": "lost phone",
     "subjects": ["Lost my phone", "Phone stolen", "New phone, can't log in"],
     "bodies": ["My phone was stolen with the app on it. How do I protect my account?",
                "I lost my phone. Can someone get into my Pocket account?",
                "I have a new phone and the app wants a code sent to my old number."],
     "replies": ["Log in from a new device and we'll sign out the old one. If you can't, reply and we'll lock the account."]},
    {"article": None, "weight": 7, "label": "joint account",
     "subjects": ["Joint account", "Shared account with partner"],
     "bodies": ["Can I open a joint account with my partner?",
                "Is there a shared account for couples?",
                "How do I add my wife to my account?"],
     "replies": ["We don't have joint accounts yet. You can both open accounts and split bills with Pocket transfers."]},
    {"article": None, "weight": 7, "label": "business account",
     "subjects": ["Business account", "Account for my company"],
     "bodies": ["Do you offer business accounts? I run a small shop.",
                "Can I use Pocket for my freelance income and send invoices?",
                "I need an account for my company with two cards."],
     "replies": ["Pocket is for personal use only. A business account is planned for later this year."]},
    {"article": None, "weight": 6, "label": "transfer not received",
     "subjects": ["Recipient didn't get the money", "Money not received by friend"],
     "bodies": ["I sent {amount} {cur} to my brother {days} days ago. The app says completed but he has nothing.",
                "The transfer shows as sent but the recipient says it never arrived."],
     "replies": ["Please ask the recipient's bank to check with this reference; completed transfers have left Pocket."]},
    {"article": None, "weight": 5, "label": "contactless not working",
     "subjects": ["Contactless not working", "Tap to pay fails"],
     "bodies": ["Contactless doesn't work, I always have to put the card in. Why?",
                "Tapping my card at the bus gate doesn't work."],
     "replies": ["Contactless starts working after your first chip-and-PIN payment."]},
]

GREETINGS = ["", "", "Hi,", "Hello,", "Hi there,", "Good morning,", "Hey,", "Dear support,", "Hello team,"]
CLOSINGS = ["", "", "", "Thanks", "Thanks in advance!", "Thank you.", "Cheers,\n{name}", "Kind regards,\n{name}",
            "Best regards,\n{name}\n-- \nSent from my phone"]
EXTRAS = ["", "", "", "", "This is urgent.", "I need this sorted today please.", "I already tried restarting the app.",
          "I've been a customer for {years} years.", "Nobody answered my last message.", "Please reply by email."]
PII = ["You can reach me at {email}.", "My phone number is {phone}.", "My card number is {card}.",
       "My IBAN is {iban}.", "Call me on {phone} if needed.", "My email is {email}, the one on my account."]
AGENT_OPENERS = ["Hi {name},", "Hello {name},", "Hi,", "Hello,", "Thanks for getting in touch."]
AGENT_LINKS = ["This article explains it step by step: {url}", "More details here: {url}",
               "You can read more in our help centre: {url}", "See {url}"]
AGENT_CLOSINGS = ["Best wishes, Pocket Support", "Kind regards, the Pocket team", "Have a nice day!", ""]
NAMES = ["Anna", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
         "Marco", "Nina", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wei", "Yusuf", "Zoe"]
MERCHANTS = ["Amazon", "a petrol station", "Tesco", "Uber", "Netflix", "a hotel", "Lidl", "Ryanair", "a café",
             "Zalando", "IKEA", "the train station"]
COUNTRIES = ["Spain", "France", "Germany", "Italy", "Portugal", "Poland", "Ireland", "the Netherlands", "Greece",
             "Turkey", "the US", "Thailand"]
CURRENCIES = ["EUR", "GBP", "USD", "PLN", "CHF"]
TEST_CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4000-0566-5566-5556", "378282246310005"]
TEST_IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606"]


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------

SEED = 2026
N_TICKETS = 2000
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAYS = 181  # January to June 2026
CHANNELS = (("email", 40), ("chat", 30), ("web", 20), ("phone", 10))
# median first-response time in hours and spread, per channel (email is slow: the promise check bites)
RESPONSE = {"chat": (0.15, 1.0), "phone": (0.5, 1.0), "web": (7.0, 1.0), "email": (20.0, 0.9)}
SITE = "https://help.pocket.example/"
COLUMNS = ("id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at")
OUT = Path(__file__).resolve().parents[1] / "sample_kb" / "tickets" / "tickets.csv"


def pick(rng: random.Random, items: list[dict]) -> dict:
    return rng.choices(items, weights=[t["weight"] for t in items])[0]


def fill(rng: random.Random, text: str, name: str) -> str:
    return text.format(
        days=rng.randint(3, 21), amount=f"{rng.choice([9.99, 12.5, 25, 40, 59.9, 120, 250, 480]):g}",
        cur=rng.choice(CURRENCIES), merchant=rng.choice(MERCHANTS), country=rng.choice(COUNTRIES),
        when=rng.choice(["Monday", "yesterday", "last Friday", "the weekend", "this morning"]),
        n=rng.randint(2, 6), age=rng.randint(12, 17), years=rng.randint(2, 6), name=name,
        email=f"{name.lower()}.{rng.randint(10, 99)}@mail.example", phone=rng.choice(
            ["+44 7700 900{:03d}", "+49 151 2345 6{:03d}", "07700 900{:03d}", "+33 6 12 34 5{:03d}"]).format(
            rng.randint(0, 999)), card=rng.choice(TEST_CARDS), iban=rng.choice(TEST_IBANS))


def question(rng: random.Random, topic: dict, name: str) -> str:
    parts = [fill(rng, rng.choice(topic["bodies"]), name), fill(rng, rng.choice(EXTRAS), name)]
    if rng.random() < 0.12:
        parts.append(fill(rng, rng.choice(PII), name))
    greeting = rng.choice(GREETINGS)
    body = (f"{greeting}\n" if greeting else "") + " ".join(p for p in parts if p)
    closing = fill(rng, rng.choice(CLOSINGS), name)
    text = f"{body}\n\n{closing}" if closing else body
    return text.lower() if rng.random() < 0.08 else text


def reply(rng: random.Random, topic: dict, name: str) -> str:
    parts = [rng.choice(AGENT_OPENERS).format(name=name), rng.choice(topic["replies"])]
    if topic["article"] and rng.random() < 0.6:
        url = f"{SITE}{topic['article']}/"
        parts.append(rng.choice(AGENT_LINKS).format(url=url))
    parts.append(rng.choice(AGENT_CLOSINGS))
    return " ".join(p for p in parts if p)


def created_at(rng: random.Random) -> datetime:
    day = rng.randrange(DAYS)
    hour = min(23, max(0, int(rng.gauss(13, 4))))
    return START + timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def stamp(rng: random.Random, when: datetime, odd: bool) -> str:
    if not odd:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if rng.random() < 0.5:
        return when.strftime("%d/%m/%Y %H:%M")  # as some spreadsheets re-save it (day first)
    return format_datetime(when.astimezone(timezone(timedelta(hours=1))))  # RFC 2822, +0100


def ticket(rng: random.Random, number: int) -> dict:
    topic = pick(rng, COVERED) if rng.random() < 0.72 else pick(rng, GAPS)
    name, channel = rng.choice(NAMES), rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    when, odd = created_at(rng), rng.random() < 0.01
    row = {"id": str(100000 + number), "created_at": stamp(rng, when, odd), "channel": channel,
           "subject": rng.choice(topic["subjects"]), "body": question(rng, topic, name),
           "status": "", "reply": "", "replied_at": ""}
    if rng.random() < 0.10:  # never answered
        row["status"] = rng.choice(["open", "open", "pending", "closed"])
        return row
    median, spread = RESPONSE[channel]
    delay = timedelta(hours=min(24 * 6, rng.lognormvariate(math.log(median), spread)))
    row.update(status=rng.choice(["solved", "solved", "closed"]), reply=reply(rng, topic, name),
               replied_at=stamp(rng, when + delay, odd))
    return row


def generate(n: int = N_TICKETS, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    rows = [ticket(rng, i) for i in range(n)]
    rows.sort(key=lambda r: r["id"])
    for i in rng.sample(range(n), 6):  # the same ticket exported twice (duplicate ids)
        rows.insert(min(len(rows), i + rng.randint(1, 40)), dict(rows[i]))
    return rows


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = generate()
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT.relative_to(OUT.parents[2])}")


if __name__ == "__main__":
    main()

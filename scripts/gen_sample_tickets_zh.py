"""Generate sample_kb/tickets/zh/tickets.csv: a small, deterministic Chinese ticket log for the Pocket sample.

    python scripts/gen_sample_tickets_zh.py

300 tickets from June to November 2026 (Beijing time, +08:00) in helpgen's canonical CSV columns
(id, created_at, channel, subject, body, status, reply, replied_at), written as UTF-8. The customer messages
are Simplified Chinese templates written for this project (not BANKING77 text), some mixed with English
words ("我的 card 还没到"). About 70% ask about topics the Chinese articles cover; about 30% ask about things
no article covers, led by one planted gap of exactly 30 tickets (binding the card to Alipay / WeChat Pay),
plus teen accounts, an ATM that kept the card, cash and cheque deposits, a lost phone and joint accounts.
About 89% are answered in Chinese (many replies link `https://help.pocket.example/zh/<article-id>/`), the
rest never were; a few messages carry fake personal data (example e-mails, mobile numbers such as
138 0013 8000, Luhn-valid test card numbers, an example IBAN) so that redaction shows in the report.
"""
from __future__ import annotations

import csv
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpgen.tickets.redact import luhn_ok

# ---------------------------------------------------------------------------------------------
# Templates. Slots: {days} {hours} {amount} {merchant} {country} {when} {n} {age} {years} {email}
# {phone} {card} {iban}. "count" is the exact number of tickets about the topic.
# ---------------------------------------------------------------------------------------------
COVERED: list[dict] = [
    {"article": "cards/track-your-card", "count": 14,
     "subjects": ["卡还没收到", "银行卡什么时候到", "查询卡片配送", "新卡一直没寄到"],
     "bodies": ["我 {days} 天前申请的实体卡到现在还没收到，能帮我查一下寄到哪里了吗？",
                "请问卡寄到{country}一般要几天？我上周下的单。",
                "我的 card 还没到，已经等了 {days} 天了。",
                "app 里显示卡片已寄出，但是 {days} 天了邮箱里什么都没有，怎么办？",
                "新卡能加急寄送吗？下周要出差，急用。"],
     "replies": ["英国境内标准配送需要 3–5 个工作日，EEA 国家需要 5–10 个工作日。您可以在 app 的“卡片”中查看配送进度；如果超过预计时间仍未收到，可以在 app 内申请补寄。",
                 "您的卡片已经寄出，配送进度可以在“卡片”页面查看。如需更快收到，下次可选择加急配送（1–2 个工作日，£4.99）。"]},
    {"article": "getting-started/activate-your-card", "count": 9,
     "subjects": ["怎么激活银行卡", "卡片激活", "新卡激活不了"],
     "bodies": ["卡今天收到了，请问在哪里激活？",
                "刚拿到实体卡，app 里找不到激活的入口。",
                "新卡不激活能直接刷吗？",
                "激活卡的时候要输入什么信息？我输了好几次都不对。",
                "how to activate 新卡？app 里没看到按钮"],
     "replies": ["打开 app 进入“卡片”，点击新卡下方的“激活卡片”，按提示输入卡背面的安全码即可，激活后马上可以使用。"]},
    {"article": "cards/change-your-pin", "count": 8,
     "subjects": ["修改 PIN 码", "想换个卡密码", "PIN 码怎么改"],
     "bodies": ["想把卡密码改成自己好记的数字，怎么操作？",
                "PIN 码可以在手机上改吗，还是必须去 ATM？",
                "我在 app 里改了 PIN，为什么超市刷卡机还是不认新密码？",
                "请问 change PIN 要收费吗？"],
     "replies": ["您可以在 app 的“卡片”中点击“修改 PIN 码”随时修改，免费且立即生效。如果刷卡机不认新密码，请先在任意 ATM 上用新 PIN 码查询一次余额，芯片就会同步更新。"]},
    {"article": "troubleshooting/pin-blocked", "count": 9,
     "subjects": ["PIN 码被锁了", "密码输错三次", "卡密码锁定"],
     "bodies": ["刚才在 ATM 连续输错 3 次密码，现在提示 PIN 码已锁定，怎么解锁？",
                "超市结账的时候密码输错了几次，卡就用不了了。",
                "PIN 被 block 了，今天必须付款，急！",
                "密码锁定了是不是要重新办一张卡？",
                "刷卡提示 P-1102，是什么意思？"],
     "replies": ["PIN 码被锁定不需要换卡。请在 app 的“卡片”中点击“解锁 PIN 码”，解锁后到任意 ATM 用正确的 PIN 码查询一次余额，芯片就会同步。",
                 "您可以在“卡片 > 查看 PIN 码”中确认正确的密码，然后点击“解锁 PIN 码”，立即生效。"]},
    {"article": "security/forgotten-passcode", "count": 9,
     "subjects": ["忘记登录密码", "登不进 app", "app 密码忘了"],
     "bodies": ["app 的 6 位登录密码忘了，现在登不进去。",
                "登录的时候试了好几次密码，现在 app 把我锁在外面了，怎么重置？",
                "换了新手机，登录时想不起密码了。",
                "forgot passcode，重置邮件一直没收到。"],
     "replies": ["请在登录页面点击“忘记登录密码？”，打开我们发到您邮箱的链接，再完成一次自拍验证，就可以设置新的 6 位登录密码。"]},
    {"article": "security/lost-or-stolen-card", "count": 10,
     "subjects": ["卡丢了", "银行卡被偷了", "挂失银行卡"],
     "bodies": ["我的卡昨天在地铁上丢了，怎么挂失？",
                "钱包被偷了，里面有 Pocket 卡，请马上帮我冻结！",
                "卡找不到了，能先冻结吗？说不定过两天能找到。",
                "lost my card 在{country}旅游的时候，补卡要多久？",
                "卡丢了补办一张新卡要收费吗？"],
     "replies": ["请先在 app 的“卡片”中点击“冻结卡片”，几秒钟即可生效。确认找不回来后再选择“挂失”并补办新卡：因丢失补卡收费 £4.99，因被盗补卡免费。"]},
    {"article": "security/compromised-card", "count": 7,
     "subjects": ["卡片信息泄露", "卡可能被盗刷", "在钓鱼网站输了卡号"],
     "bodies": ["我好像在一个假网站上输入了卡号和安全码，现在怎么办？",
                "收到一条可疑短信，我点了链接还填了卡片信息。",
                "刚才把卡号 {card} 发给了一个自称客服的人，是不是被骗了？",
                "卡还在我手上，但是担心卡片信息被别人拿到了。"],
     "replies": ["请立即在 app 中冻结这张卡，并注销后申请一张新卡，新卡会有新的卡号。您的余额是安全的。Pocket 绝不会向您索要卡号、安全码或 PIN 码。"]},
    {"article": "troubleshooting/declined-card-payment", "count": 12,
     "subjects": ["付款被拒绝", "刷卡失败", "网购付不了款", "卡被拒了"],
     "bodies": ["在{merchant}结账的时候卡被拒了，可是我账户里还有 {amount}。",
                "为什么网上付款一直失败？卡是好的。",
                "昨晚在餐厅刷卡失败，很尴尬，到底怎么回事？",
                "付款失败，屏幕上写着 do not honour，这是啥意思？",
                "card declined 了好几次，余额明明够的。",
                "刚充完值，刷卡还是提示余额不足。"],
     "replies": ["在“首页”点击这笔被拒绝的交易，可以看到拒绝原因和错误码。常见原因是余额不足、超出消费限额，或者没有在 5 分钟内完成 3D 安全验证。",
                 "被拒绝的付款不会扣款。请检查卡片是否已冻结，以及“卡片 > 安全”中是否关闭了网上付款，然后再试一次。"]},
    {"article": "troubleshooting/declined-transfer", "count": 7,
     "subjects": ["转账被拒绝", "转账转不出去", "汇款被拦截"],
     "bodies": ["给朋友转账被拒绝了，余额是够的，为什么？",
                "转账提示没有通过安全检查，是什么意思？",
                "汇款到新的收款人一直被拒。",
                "transfer declined，提示账户受限，我需要做什么？"],
     "replies": ["在“支付”中点击这笔转账可以看到错误码。如果是安全检查拦截，请先回复我们在 app 内发给您的消息，再重新转账；如果是账户受限，请按提示补充材料。"]},
    {"article": "transfers/pending-transfer", "count": 9,
     "subjects": ["转账一直处理中", "转账卡住了", "汇款还在处理"],
     "bodies": ["我 {days} 天前的转账到现在还显示处理中，正常吗？",
                "{when}发出的转账一直是处理中状态。",
                "transfer 显示 pending 好几天了，钱到底去哪了？",
                "为什么我的转账要进行安全检查？"],
     "replies": ["部分转账需要额外的安全检查，通常当天就能完成，完成后我们会发通知给您。处理中的款项已从可用余额中预留，不会丢失。"]},
    {"article": "transfers/transfer-times", "count": 9,
     "subjects": ["转账多久到账", "汇款到账时间", "SEPA 转账要多久"],
     "bodies": ["往{country}的银行转账大概多久能到？",
                "今天早上给朋友转了钱，什么时候能到账？",
                "SWIFT 汇款一般要几个工作日？",
                "周末转账会不会延迟到账？",
                "英国境内转账是实时到账吗？"],
     "replies": ["英国境内通过快速支付转账通常几分钟内到账（最长 2 小时），SEPA 转账 1 个工作日，SWIFT 转账 2–5 个工作日。"]},
    {"article": "transfers/cancel-a-transfer", "count": 8,
     "subjects": ["取消转账", "转错账户了", "撤回转账"],
     "bodies": ["转账转错人了，可以撤回吗？",
                "刚发出的转账想取消，怎么操作？",
                "怎么 cancel 一笔还在处理中的转账？",
                "预约的转账不想要了，在哪里删除？"],
     "replies": ["转账仍显示处理中时，可以在“支付”中打开这笔转账，点击“取消转账”。已经完成的转账无法撤回，请直接联系收款人退还。"]},
    {"article": "troubleshooting/top-up-failed", "count": 10,
     "subjects": ["充值失败", "充不进钱", "银行卡充值被拒"],
     "bodies": ["用银行卡充值 {amount} 一直失败，卡里是有钱的。",
                "每次充值都提示失败，试了 {n} 次了。",
                "top up 一直 failed，提示 P-2101。",
                "信用卡为什么不能充值？",
                "昨天还能充值，今天就充不进去了。"],
     "replies": ["充值失败不会扣款。错误码 P-2101 表示您的发卡行拒绝了这笔付款，请联系您的银行确认；也可以改用银行转账充值，免费且通常几分钟内到账。"]},
    {"article": "top-up/pending-top-up", "count": 8,
     "subjects": ["充值一直处理中", "充值还没到账", "充值显示处理中"],
     "bodies": ["充值已经 {hours} 个小时了还显示处理中，正常吗？",
                "充进去的钱为什么一直没到，状态还是处理中？",
                "银行那边已经扣钱了，Pocket 余额还没加上。",
                "top-up 显示 pending，要等多久？"],
     "replies": ["部分充值需要等待您的银行确认，通常不到 1 小时就会完成。如果最终没有成功，银行预留的金额会自动释放。"]},
    {"article": "top-up/top-up-limits", "count": 7,
     "subjects": ["充值限额", "最多能充多少", "充值额度"],
     "bodies": ["一次最多能充值多少钱？",
                "充值 {amount} 的时候提示超出限额，限额是多少？",
                "账户余额有上限吗？",
                "一天能用银行卡充几次？"],
     "replies": ["单笔充值须在 £10–£10,000 之间，24 小时内最多用银行卡充值 10 次，账户余额上限为 £40,000。"]},
    {"article": "exchange/exchange-rates", "count": 9,
     "subjects": ["汇率怎么算", "换汇汇率", "你们用什么汇率"],
     "bodies": ["你们换汇按哪个汇率算的？",
                "为什么周末换汇比平时贵？",
                "exchange rate 在哪里能看到？",
                "换汇有没有隐藏费用？",
                "今天换的欧元汇率和网上查的不一样。"],
     "replies": ["工作日换汇使用银行间汇率，换汇前可以在 app 中看到实时汇率。每月换汇超过 £1,000 的部分收取 0.5% 合理使用费，周末换汇加收 1%。"]},
    {"article": "getting-started/verify-your-identity", "count": 9,
     "subjects": ["身份验证", "实名认证怎么做", "需要什么证件"],
     "bodies": ["验证身份需要准备什么证件？我只有驾照。",
                "app 要求做身份验证，大概要多久？",
                "可以用居留许可做实名认证吗？",
                "中国护照可以验证吗？",
                "ID verification 要自拍吗？"],
     "replies": ["您可以使用有效的护照、驾驶证、身份证或居留许可，在 app 中拍摄证件照片并自拍即可，通常 10 分钟内完成。"]},
    {"article": "troubleshooting/identity-verification-failed", "count": 9,
     "subjects": ["身份验证失败", "实名认证不通过", "自拍验证不过"],
     "bodies": ["身份验证试了 {n} 次，一直提示照片不清楚。",
                "我的护照是有效的，为什么认证被拒了？",
                "自拍那一步每次都失败，怎么办？",
                "身份审核已经两天了还没结果。",
                "verification failed，提示信息与证件不一致。"],
     "replies": ["请在光线充足的地方重新拍摄，确保证件四个角都在画面内、没有反光；自拍时请摘下眼镜和帽子。如果提示信息不一致，请先把个人资料中的姓名和出生日期改成与证件一致。"]},
    {"article": "account/close-your-account", "count": 8,
     "subjects": ["注销账户", "我要销户", "删除账户"],
     "bodies": ["我不想用了，怎么注销账户？",
                "请帮我注销账户并删除我的资料。",
                "销户之前余额怎么转出来？",
                "I want to close account，在 app 里找不到入口。"],
     "replies": ["很遗憾您要离开。请先把余额转出，然后在“账户 > 设置 > 注销账户”中提交申请。"]},
    {"article": "fees/card-payment-fees", "count": 8,
     "subjects": ["刷卡有手续费", "为什么扣了手续费", "境外刷卡费用"],
     "bodies": ["刷卡消费 {amount} 为什么多扣了手续费？",
                "在{country}刷卡有额外费用吗？",
                "用美元付款为什么比显示的价格高一点？",
                "刷卡消费收不收 fee？"],
     "replies": ["英镑和欧元刷卡消费免费；其他币种按 Visa 汇率结算，并收取 0.5% 的费用。"]},
    {"article": "troubleshooting/charged-twice", "count": 9,
     "subjects": ["扣了两次钱", "重复扣款", "同一笔付款扣了两次"],
     "bodies": ["在{merchant}买东西被扣了两次，每次 {amount}。",
                "账单上同一笔消费出现了两次，我明明只付了一次。",
                "double charge 了！只买了一张票。",
                "酒店扣了两笔钱，一笔显示处理中。"],
     "replies": ["通常其中一笔是处理中的预授权，会在 7 天内自动消失。如果两笔都已完成，请先联系商户退还；14 天内未处理的话，可以在该笔付款中点击“报告问题”。"]},
    {"article": "payments/request-a-refund", "count": 8,
     "subjects": ["申请退款", "怎么退款", "退货退钱"],
     "bodies": ["我在{merchant}退了货，怎么拿回退款？",
                "订单一直没收到，想把钱要回来，怎么办？",
                "商家不给退款，你们能帮忙吗？",
                "付错了一笔款，可以退吗？"],
     "replies": ["退款需要由商户发起，请先联系商户。如果商户拒绝，您可以在 app 中打开这笔付款，点击“报告问题”，我们会协助处理。"]},
    {"article": "account/edit-personal-details", "count": 8,
     "subjects": ["修改地址", "更新个人信息", "改名字"],
     "bodies": ["我搬家了，怎么修改地址？",
                "结婚后改了姓，账户上的姓名怎么改？",
                "怎么更新手机号？新号码是 {phone}。",
                "邮箱换了，想改一下账户邮箱。"],
     "replies": ["大部分信息可以在“账户 > 个人信息”中直接修改；修改姓名需要重新进行一次身份验证。"]},
    {"article": "getting-started/supported-countries", "count": 6,
     "subjects": ["支持哪些国家", "我所在的国家能开户吗"],
     "bodies": ["我住在{country}，可以开户吗？",
                "Pocket 在哪些国家可以用？",
                "中国大陆的居民可以注册吗？",
                "搬到国外以后账户还能继续用吗？"],
     "replies": ["居住在英国或 EEA 国家的用户可以开户。如果您搬到这些地区以外，请在 app 中更新地址，我们会告诉您账户后续怎么处理。"]},
]

# Topics no article covers. The first is the planted gap: exactly 30 tickets that should become one cluster.
GAPS: list[dict] = [
    {"article": None, "count": 30, "label": "绑定支付宝 / 微信支付",
     "subjects": ["绑定支付宝", "绑定微信支付", "支付宝绑卡失败", "能不能绑微信"],
     "bodies": ["Pocket 卡可以绑定支付宝或微信支付吗？",
                "想把卡绑定到微信支付，一直提示不支持该银行卡，支付宝也绑不上。",
                "支付宝绑卡的时候提示卡号无效，微信也一样，是不是不支持绑定？",
                "回国以后想用支付宝和微信付款，Pocket 卡能绑定吗？",
                "微信支付绑卡失败，支付宝也试了，请问什么时候支持绑定？",
                "可以在支付宝或者微信里绑定这张卡吗？",
                "绑定 Alipay 的时候一直失败，支付宝显示这张卡不支持，微信支付能绑定吗？",
                "微信支付添加银行卡找不到 Pocket，支付宝能绑定吗？"],
     "replies": ["目前 Pocket 卡暂不支持绑定支付宝或微信支付，我们已把您的需求反馈给产品团队。",
                 "抱歉，支付宝和微信支付暂时不能添加 Pocket 卡，有进展我们会在 app 内通知。"]},
    {"article": None, "count": 14, "label": "未成年人开户年龄",
     "subjects": ["未成年人能开户吗", "开户年龄", "给孩子开账户"],
     "bodies": ["多大年龄可以开户？",
                "我女儿今年 {age} 岁，可以有自己的卡吗？",
                "有没有给未满 18 岁孩子用的账户？",
                "孩子 {age} 岁，想给他办一张卡给零花钱。"],
     "replies": ["开户需年满 18 周岁，目前暂不提供未成年人账户。"]},
    {"article": None, "count": 12, "label": "ATM 吞卡",
     "subjects": ["ATM 吞卡了", "卡被取款机吞了", "卡卡在 ATM 里"],
     "bodies": ["今天早上取钱的时候 ATM 把卡吞了，没有退出来，怎么办？",
                "我在{country}旅游，卡被取款机吞了！",
                "取完现金以后机器没有把卡退给我。"],
     "replies": ["请先在 app 中冻结这张卡并申请补卡。为了安全，被 ATM 吞掉的卡通常会被银行销毁。"]},
    {"article": None, "count": 12, "label": "现金或支票存款",
     "subjects": ["存现金", "存支票", "现金怎么存进账户"],
     "bodies": ["怎么把现金存进 Pocket 账户？",
                "收到一张支票，可以存到 Pocket 吗？",
                "{days} 天前在便利店存了现金，余额一直没变。",
                "有没有可以存现金的网点？"],
     "replies": ["目前暂不支持现金或支票存款，您可以通过银行卡或银行转账充值。"]},
    {"article": None, "count": 12, "label": "手机丢了",
     "subjects": ["手机丢了", "手机被偷了", "手机丢了账户安全吗"],
     "bodies": ["手机被偷了，上面装着 Pocket app，账户会不会有危险？",
                "手机丢了，别人能登录我的账户吗？",
                "换了新手机号，旧手机也丢了，收不到验证码。",
                "手机丢了，怎么先把 app 锁住？"],
     "replies": ["请在新设备上登录，我们会自动退出旧设备上的登录。如果无法登录，请回复此消息，我们会先帮您锁定账户。"]},
    {"article": None, "count": 10, "label": "联名账户",
     "subjects": ["联名账户", "和家人共用账户", "夫妻共同账户"],
     "bodies": ["可以和我老公开一个联名账户吗？",
                "有没有两个人一起用的共同账户？",
                "怎么把我太太加到我的账户里？"],
     "replies": ["目前暂不提供联名账户。您和家人可以各自开户，再通过 Pocket 转账分摊费用。"]},
]

GREETINGS = ["", "", "", "您好，", "你好，", "客服你好，", "在吗？", "您好！", "Hi，"]
CLOSINGS = ["", "", "", "", "", "", "", "谢谢！", "谢谢", "麻烦尽快处理。", "辛苦了。", "急，在线等。", "多谢",
            "谢谢\n{name}", "{name}", "{name}\n-- \n发自我的手机", "期待回复。", "拜托了！"]
EXTRAS = ["", "", "", "", "", "", "", "", "", "", "", "", "已经重启过 app 了。", "这个问题挺急的。",
          "上次发的消息没人回。", "我用 Pocket 已经 {years} 年了。", "请邮件回复我。", "我现在人在{country}。",
          "卸载重装也没用。", "今天之内能解决吗？", "朋友推荐我用的 Pocket。", "之前从来没遇到过。"]
PII = ["我的邮箱是 {email}。", "手机号 {phone}，方便的话请回电。", "卡号是 {card}。",
       "可以发邮件到 {email} 联系我。", "我的 IBAN 是 {iban}。", "联系电话：{phone}"]
AGENT_OPENERS = ["{name}{title}您好，", "您好，", "您好！感谢您联系 Pocket。", "感谢您的耐心等待。"]
AGENT_LINKS = ["详细步骤请参阅：{url}", "您也可以查看帮助中心的这篇文章：{url}", "更多说明：{url}"]
AGENT_CLOSINGS = ["祝您生活愉快！Pocket 客服", "如有其他问题，欢迎随时联系我们。", "Pocket 客服团队", ""]
# (name, e-mail user, form of address)
PEOPLE = [("王伟", "wang.wei", "先生"), ("李娜", "li.na", "女士"), ("张敏", "zhang.min", "女士"),
          ("刘洋", "liu.yang", "先生"), ("陈静", "chen.jing", "女士"), ("杨帆", "yang.fan", "先生"),
          ("赵磊", "zhao.lei", "先生"), ("黄丽", "huang.li", "女士"), ("周杰", "zhou.jie", "先生"),
          ("吴婷", "wu.ting", "女士"), ("徐明", "xu.ming", "先生"), ("孙悦", "sun.yue", "女士"),
          ("马超", "ma.chao", "先生"), ("朱琳", "zhu.lin", "女士"), ("胡军", "hu.jun", "先生"),
          ("郭鹏", "guo.peng", "先生"), ("何雪", "he.xue", "女士"), ("林涛", "lin.tao", "先生"),
          ("高峰", "gao.feng", "先生"), ("罗佳", "luo.jia", "女士")]
MERCHANTS = ["亚马逊", "Tesco", "一家咖啡店", "酒店", "加油站", "Uber", "宜家", "超市", "Netflix", "餐厅",
             "机场免税店", "Booking.com"]
COUNTRIES = ["西班牙", "法国", "德国", "意大利", "荷兰", "爱尔兰", "葡萄牙", "希腊", "波兰", "中国", "美国", "泰国"]
AMOUNTS = ["£9.99", "£25", "£40", "£120", "€59.90", "€250", "€480", "£1,200"]
WHEN = ["周一", "昨天", "上周五", "周末", "今天早上", "前天"]
PHONES = ["138 0013 8000", "139 1234 56{d2}", "138001380{d2}", "+86 138 0013 80{d2}", "+44 7700 900{d3}",
          "186 0000 {d4}"]
TEST_CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4000 0566 5566 5556", "6250 9460 0000 0016"]
TEST_IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"]

# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------
SEED = 8620
START = datetime(2026, 6, 1, tzinfo=timezone(timedelta(hours=8)))  # Beijing time
DAYS = 183  # June to November 2026
CHANNELS = (("chat", 50), ("email", 35), ("phone", 15))  # 在线客服 / 邮件 / 电话
# median first-response time in hours and spread, per channel
RESPONSE = {"chat": (0.1, 1.0), "phone": (0.3, 1.0), "email": (14.0, 0.9)}
UNANSWERED = 0.10
SITE = "https://help.pocket.example/zh/"
COLUMNS = ("id", "created_at", "channel", "subject", "body", "status", "reply", "replied_at")
OUT = Path(__file__).resolve().parents[1] / "sample_kb" / "tickets" / "zh" / "tickets.csv"


assert all(luhn_ok(c.replace(" ", "")) for c in TEST_CARDS), "test card numbers must pass the Luhn check"


def fill(rng: random.Random, text: str, person: tuple[str, str, str]) -> str:
    name, user, _ = person
    phone = rng.choice(PHONES).format(d2=f"{rng.randint(0, 99):02d}", d3=f"{rng.randint(0, 999):03d}",
                                      d4=f"{rng.randint(0, 9999):04d}")
    return text.format(
        days=rng.randint(3, 15), hours=rng.randint(2, 9), amount=rng.choice(AMOUNTS),
        merchant=rng.choice(MERCHANTS), country=rng.choice(COUNTRIES), when=rng.choice(WHEN),
        n=rng.randint(2, 6), age=rng.randint(12, 17), years=rng.randint(2, 6), name=name,
        email=f"{user}{rng.randint(10, 99)}@mail.example", phone=phone, card=rng.choice(TEST_CARDS),
        iban=rng.choice(TEST_IBANS))


def question(rng: random.Random, topic: dict, person: tuple[str, str, str]) -> str:
    parts = [fill(rng, rng.choice(topic["bodies"]), person), fill(rng, rng.choice(EXTRAS), person)]
    if rng.random() < 0.08:
        parts.append(fill(rng, rng.choice(PII), person))
    greeting = rng.choice(GREETINGS)
    body = (f"{greeting}\n" if greeting else "") + "".join(p for p in parts if p)
    closing = fill(rng, rng.choice(CLOSINGS), person)
    return f"{body}\n\n{closing}" if closing else body


def reply(rng: random.Random, topic: dict, person: tuple[str, str, str]) -> str:
    name, _, title = person
    parts = [rng.choice(AGENT_OPENERS).format(name=name[0], title=title), rng.choice(topic["replies"])]
    if topic["article"] and rng.random() < 0.55:
        parts.append(rng.choice(AGENT_LINKS).format(url=f"{SITE}{topic['article']}/"))
    parts.append(rng.choice(AGENT_CLOSINGS))
    return "\n".join(p for p in parts if p)


def created_at(rng: random.Random) -> datetime:
    hour = min(23, max(8, int(rng.gauss(14, 4))))
    return START + timedelta(days=rng.randrange(DAYS), hours=hour, minutes=rng.randrange(60),
                             seconds=rng.randrange(60))


def ticket(rng: random.Random, topic: dict) -> dict:
    person = rng.choice(PEOPLE)
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    when = created_at(rng)
    row = {"id": "", "created_at": when.isoformat(), "channel": channel,
           "subject": rng.choice(topic["subjects"]), "body": question(rng, topic, person),
           "status": "", "reply": "", "replied_at": ""}
    if rng.random() < UNANSWERED:  # never answered
        row["status"] = rng.choice(["open", "open", "open", "pending"])
        return row
    median, spread = RESPONSE[channel]
    delay = timedelta(hours=min(24 * 5, rng.lognormvariate(math.log(median), spread)))
    row.update(status=rng.choices(["solved", "closed", "pending"], [6, 3, 1])[0],
               reply=reply(rng, topic, person), replied_at=(when + delay).replace(microsecond=0).isoformat())
    return row


def generate(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    topics = [t for t in COVERED + GAPS for _ in range(t["count"])]
    rng.shuffle(topics)
    rows = [ticket(rng, topic) for topic in topics]
    rows.sort(key=lambda r: r["created_at"])
    for i, row in enumerate(rows):  # ids follow the order the tickets came in
        row["id"] = str(300001 + i)
    return rows


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = generate()
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT.relative_to(OUT.parents[3])}")


if __name__ == "__main__":
    main()

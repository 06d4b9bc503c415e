"""Folding and the concept lexicon: turns what a candidate typed into concept
tags with their spans, so the rules speak one vocabulary whatever the script.

Why a lexicon and not word segmentation or bare character n-grams: messages are
short, mix Chinese, English and pinyin, and are full of typos and homophones
(验证吗, 激话, 企微, qywx, 统一任证). A longest-match scan over a hand-built list
of variants (plus a second scan by sound, see Lexicon) handles all of these in
one pass and keeps the evidence spans. Measured on the dev set with the same
TF-IDF + logistic regression under 5-fold CV (`triage_eval --tokenizers`):
character 1-3-grams 0.58, jieba words 0.56, these concept tags 0.90 category
accuracy; jieba would also still need the synonym table and splits typos
unpredictably. Character n-grams remain, as a second feature, in the learned
part (knowledge.NgramIndex) to recognise near-duplicates of corrected messages.
"""

import functools
import re
import unicodedata

MAX_CHARS = 2000  # the engine reads no further: a 1 MB paste stays as fast as a tweet

# canonical tag -> variants (after folding: NFKC + lower case). A variant that
# begins/ends with an ASCII letter only matches at a word boundary there.
LEXICON: dict[str, tuple[str, ...]] = {
    "统一认证": ("统一身份认证", "统一认证", "统一身份", "统一身分认证", "统一认正", "统一验证",
        "统一账号", "统一帐号", "idas", "unified identity", "unified authentication",
        "unified id", "统一的账号", "ids账号", "身份认证账号", "身份认证平台", "身份认证",
        "统一登陆", "统一登录", "统一认证平台", "统一身份认证平台", "tongyi renzheng",
        "tongyirenzheng", "tyrz", "考生账号", "考生帐号", "candidate account"),
    "激活": ("激活", "激话", "激火", "机活", "开通", "activate", "activated", "activating",
        "activation", "activations", "激活了", "激活后", "激活完", "激活好了", "激活好",
        "已经激活", "已激活", "激活成功", "激活完成", "开户", "enable", "jihuo", "ji huo",
        "after activation", "after activating", "after the activation", "after activated",
        "先激活", "激活以后", "激活之后"),
    "激活须知": ("激活须知", "须知", "进入激活", "账号激活按钮"),
    "企业微信": ("企业微信", "企业徽信", "企业威信", "企业危信", "企业vx", "企微", "qywx",
        "wecom", "we com", "enterprise wechat", "work wechat", "wechat work", "企业weixin",
        "企业wechat", "企业微信app", "work weixin", "wechat for business", "wecom app", "企业wx",
        "企业v信", "qiye weixin", "qiyeweixin"),
    "企业号": ("企业号", "企业帐号", "企业账号", "enterprise account", "official account",
        "企业公众号", "电子科大企业号", "学校的企业号", "公众号", "uestc enterprise",
        "学校企业号"),
    "二维码": ("二维码", "二唯码", "二维吗", "二微码", "qr code", "qrcode", "qr", "扫码",
        "扫了码", "扫的码", "扫描", "扫一扫", "scan", "scanned", "scanning", "扫完", "扫",
        "扫一下", "扫过", "二维", "码扫不"),
    "密码": ("密码", "密马", "秘密码", "password", "passwords", "passwd", "pwd", "口令",
        "忘记密码", "forgot password", "mima", "密吗", "秘码", "蜜码", "密玛", "mi ma"),
    "忘记": ("忘了", "忘记", "忘掉", "记不得", "记不清", "想不起", "不记得", "forgot", "forget",
        "forgotten", "忘记密码", "forgot password", "don't remember", "do not remember",
        "can't remember", "cannot remember", "not remember", "记不住", "忘啦", "遗忘"),
    "找回": ("找回", "重置", "重设", "reset", "recover", "retrieve", "忘记密码",
        "forgot password", "找不回", "找不回来", "找回不了", "can't recover", "cannot recover",
        "can't reset", "cannot reset", "resetting", "reset it", "resets", "recovery"),
    "强度": ("强度", "复杂度", "不符合", "要求", "requirement", "requirements", "几位", "大写",
        "小写", "特殊字符", "too weak", "strength", "规则"),
    "改": ("修改", "更改", "更换", "换成", "换绑", "改绑", "改成", "变更", "重新绑", "换一个",
        "换个", "改下", "改一下", "换掉", "change", "changing", "switch", "update", "想换",
        "要换", "能换", "换", "rebind", "re-bind", "bind a different", "bind another", "换回",
        "微信换号", "用错", "绑新的", "绑新", "重新注册", "解绑", "不是我本人", "不是本人",
        "能改", "改吗", "可以改", "可以换", "by mistake", "switch to mine", "解除", "解除绑定"),
    "验证码": ("验证码", "验证吗", "验正码", "验证玛", "验证妈", "效验码", "校验码", "动态码",
        "yzm", "sms", "sms code", "短信", "code", "codes", "verification code", "otp", "验证短信",
        "yanzhengma", "验证ma", "短讯", "验证代码", "vcode", "验证码短信", "yanzheng ma",
        "验证马", "验证麻", "验证嘛", "验正吗", "严正码", "验证🐴", "验证码🐎"),
    "没收到": ("没收到", "收不到", "没有收到", "未收到", "没到", "没来", "还没到", "不来",
        "没反应", "没发过来", "never arrives", "never arrived", "never came", "not received",
        "didn't receive", "did not receive", "haven't received", "not arrive", "doesn't arrive",
        "don't receive", "nothing arrives", "no code", "没有来", "接收不到", "没收着", "一直没来",
        "发不过来", "没有短信", "not coming", "not getting", "no sms", "hasn't arrived",
        "haven't got", "didn't get", "never got", "迟迟不来", "一直不来"),
    "已收到": ("收到了验证码", "收到验证码了", "验证码收到了", "验证码已收到", "验证码已经收到",
        "已经收到验证码", "已收到验证码", "验证码没问题", "验证码正常", "验证码也收到了",
        "code arrived", "received the code", "got the code"),
    "出错": ("错误", "失败", "fail", "failed", "fails", "不对", "不正确", "wrong", "invalid",
        "incorrect", "不通过", "error", "提示", "报错", "不行", "没用", "无效", "过期", "错了",
        "not valid", "expired", "rejected", "不成功", "验证失败", "验证不了", "进不去",
        "not working", "doesn't work", "does not work", "won't work", "can't", "cannot", "转圈",
        "没反应", "一直转", "白屏"),
    "手机号": ("手机号", "手机号码", "号码", "电话号码", "手机", "phone number", "mobile number",
        "phone", "mobile", "number", "sim", "sim卡", "电话卡", "卡", "旧号", "新号", "的号",
        "个号", "换号", "号也", "外国号码", "国外号码", "境外号码", "海外号码", "foreign number"),
    "哪个": ("哪个", "哪一个", "填哪", "填什么", "which", "还是", "哪个号"),
    "重试": ("试了", "多次", "好几次", "几次", "反复", "重试", "一直", "次都", "retried", "retry",
        "tried", "many times", "several times", "multiple times", "again and again", "两天",
        "还是不行", "仍不行", "仍然", "still", "试过", "都试了", "试了好几", "很多遍", "好多遍",
        "好多次", "几遍", "反反复复", "over and over", "every time", "each time", "again", "死活",
        "前前后后", "一整天", "弄了一天", "试了一天", "试了半天", "折腾", "一晚上", "试了一晚",
        "一个晚上", "all night", "all day"),
    "确认无误": ("确认", "核对", "没错", "确定", "检查过", "check过", "checked", "confirmed",
        "double-checked", "double checked", "绑定的那个", "是对的", "绑定号码", "the one linked",
        "the one bound", "is correct", "is right", "没填错", "没输错", "肯定是", "right number",
        "correct number", "确定是", "check了", "确认过", "确认了", "检查了", "核实", "已经是",
        "就是微信", "是微信绑定", "bound to my wechat", "linked to my wechat", "definitely",
        "for sure", "i'm sure", "i am sure", "绝对是", "确实是", "the one on my wechat",
        "on my wechat", "号码没问题", "号码是对的", "号没问题", "手机号没问题", "号码正确",
        "号码无误"),
    "关注": ("关注", "follow", "followed", "following", "关注了", "关注上"),
    "取消关注": ("取消关注", "取关", "不再关注", "unfollow", "unfollowing", "unsubscribe", "退出",
        "删掉", "删除", "移除", "remove", "stop following", "cancel following",
        "cancel the follow", "不关注了", "退订", "取消订阅", "去掉", "删了", "移出", "不要了",
        "退掉", "退出关注"),
    "二次验证": ("身份验证", "二次验证", "二次认证", "验证消息", "验证通知", "验证的消息",
        "验证的通知", "身份确认", "identity verification", "verification message", "推送", "push",
        "验证信息", "认证消息", "等待验证", "待验证", "验证中", "验证的东西", "验证提示",
        "验证的提示", "验证身份", "等待审核", "待审核", "审核中", "管理员审核", "管理员验证",
        "需要管理员"),
    "怎么": ("怎么", "咋", "如何", "怎样", "咋弄", "怎么弄", "怎么搞", "how to", "how do i",
        "how can i"),
    "卡住": ("卡住", "卡在", "卡着", "stuck"),
    "区别": ("区别", "一个东西", "一回事", "什么关系", "difference", "same thing", "不一样吗"),
    "没激活过": ("从来没弄过", "没激活过", "从没激活", "从来没激活", "never activated",
        "没注册过", "第一次弄", "第一次激活", "没有激活过"),
    "下载": ("下载", "安装", "装一个", "download", "install"),
    "取消": ("取消", "cancel"),
    "都不可用": ("两个都收不到", "都收不到", "都用不了", "都不能用", "都没法用", "都不行",
        "neither", "both unusable", "都无法使用", "都接收不到", "均已失效", "均失效", "均不可用",
        "均无法使用", "都已失效", "都失效", "和邮箱都换了", "邮箱都换了", "邮箱都不用了",
        "邮箱都没了", "邮箱都用不了", "邮箱都停用", "both gone", "both unavailable", "both lost",
        "both no longer", "neither of them", "neither works"),
    "消息": ("消息", "message", "messages", "什么都没有", "啥也没有", "没动静",
        "nothing happened", "nothing came"),
    "消息中心": ("消息中心", "message center", "message centre", "消息中心应用"),
    "丢失": ("丢了", "丢失", "弄丢", "注销", "销号", "销了", "停机", "停用", "不用了", "不能用",
        "用不了", "无法使用", "补办不了", "没了", "作废", "欠费", "不在了", "不在手上",
        "收不到短信", "no longer", "cancelled", "canceled", "lost", "deactivated",
        "out of service", "don't have", "do not have", "不再使用", "已失效", "被回收", "丢",
        "不在身边", "丢掉", "被偷", "stolen", "销户", "已经不用", "不用那个号", "号没了",
        "unusable", "no access to", "can't receive", "cannot receive", "gone", "换号了", "停号",
        "不在使用", "not in use", "no longer in use", "停机了", "欠费停机", "打不通", "不能接收",
        "收不了", "丢失了", "遗失", "被收回", "收回了", "回收了", "号码被收回", "号已经换了",
        "手机号已经换了", "号码换了", "手机号换了", "number changed", "changed my number",
        "anymore", "not anymore", "被停", "不是我的了", "已经不是我的", "不是我的号了",
        "不属于我", "terminated", "suspended", "disconnected", "空号", "已是空号", "已经停了",
        "号停了", "停了", "被别人用了", "被人用了", "已经被别人用"),
    "仍可用": ("还能收短信", "还能用", "还在用", "还能收", "still works", "still have",
        "still in use", "都在手上", "旧号还在", "能正常用", "还能正常", "still work", "还可以用",
        "没停机"),
    "联系": ("联系我", "联系我们", "有人联系", "contact me", "get in touch", "联系考生",
        "老师联系", "有老师联系", "联系吗"),
    "登录过": ("登录过", "登陆过", "登过", "一直在用", "用过", "在用", "使用过", "logged in",
        "used wecom", "used it", "登录了", "之前登录", "以前登录", "登录使用过", "以前用过",
        "之前用", "used before", "have logged", "logged into", "signed in", "登入过", "登进去过",
        "一直用", "用了一段时间", "用了很久", "一直用着", "用着"),
    "从未登录": ("没登录过", "没登陆过", "从来没登录", "从来没登陆", "还没登录", "还没登陆",
        "未登录", "没有登录", "never logged", "haven't logged", "not logged", "从没登录",
        "没有登陆", "没用过", "没登录", "没有用过", "从没用过", "一直没用过", "never used"),
    "微信账号": ("微信号", "微信账号", "微信帐号", "wechat account", "wechat id", "新微信",
        "另一个微信", "其他微信", "自己的微信", "的微信号", "我的微信", "她的微信", "他的微信",
        "妈的微信", "的微信", "a different wechat", "another wechat", "different wechat",
        "new wechat", "other wechat", "换回我自己的微信", "老微信", "旧微信", "微信换号",
        "用错微信", "错的微信", "别人的微信", "本人的微信", "本人微信", "微信用错",
        "friend's wechat", "my wechat", "mom's wechat", "someone else's wechat", "wrong wechat",
        "another person's wechat", "这个微信", "现在的微信", "现在这个微信"),
    "微信": ("微信", "威信", "wechat", "weixin", "wx", "vx"),
    "鸿蒙": ("鸿蒙", "鸿萌", "红蒙", "鸿朦", "harmonyos", "harmony os", "harmony", "hongmeng",
        "纯血", "hong meng"),
    "鸿蒙next": ("next", "纯血", "星河版", "5.0", "5.1"),
    "华为": ("华为", "huawei", "mate", "pura", "nova", "荣耀"),
    "群": ("群", "群聊", "拉群", "进群", "group", "groups", "group chat", "拉进", "建群", "群里",
        "微信群", "拉我", "拉人"),
    "多久": ("多久", "什么时候", "何时", "啥时候", "when", "多长时间", "要等", "wait", "等",
        "still haven't", "还没有", "还没"),
    "下一步": ("下一步", "接下来", "然后呢", "next step", "now what", "what next", "下一步去哪",
        "还要做", "要做什么", "做什么", "还要干", "干别的", "完事了吗", "就完事", "还需要做什么",
        "要干嘛", "干嘛", "做啥", "要做啥"),
    "已激活": ("已经激活", "已激活", "already activated", "already been activated",
        "has been activated", "已经被激活", "已被激活", "被激活了"),
    "完成": ("激活完", "激活后", "激活好了", "激活好", "激活了", "已经激活", "已激活", "激活成功",
        "finished", "完成了", "弄好了", "做完", "搞定", "done", "都激活", "激活完成", "activated",
        "after activation", "after activating", "after the activation", "after activated",
        "激活以后", "激活之后"),
    "都完成": ("两个都", "都激活", "both accounts", "全部", "都done", "everything", "都弄好",
        "都完成"),
    "学院": ("学院", "学院通知", "college", "院里", "招生老师"),
    "通知": ("通知", "群消息", "notice", "notification", "notifications", "学院通知"),
    "企业邮箱": ("企业微信邮箱", "企业邮箱", "wecom email", "wecom mailbox", "企微邮箱"),
    "登录页": ("login page", "登录页", "登录页面", "username", "用户名", "login", "登录框",
        "让我登录", "要登录", "登录界面", "sign in page", "login screen"),
    "不换": ("不换", "不改", "不用换", "不变", "stays the same"),
    "等很久": ("一个多星期", "一周", "一个星期", "两周", "十来天", "十几天", "好几天", "很多天",
        "很久", "好久", "半个月", "weeks", "last week", "a week", "一个礼拜", "好多天", "都没有",
        "一个月", "days ago", "for days", "a long time", "long time", "ages", "好长时间",
        "这么久", "上周", "上个星期", "上礼拜", "上个月", "半个多月", "大半个月", "一个多月"),
    "同伴": ("室友", "同学", "别人", "其他人", "大家", "others", "classmates", "other candidates",
        "其他考生", "同专业", "同一个学院", "一起报", "friends", "舍友", "朋友", "同门",
        "别的同学", "其他同学", "my friend", "someone else", "一起考的", "同一个导师", "同导师",
        "同组", "同一批", "一起复试", "寝室", "另外三个", "另外几个", "另外两个", "其他几个",
        "宿舍的", "everyone", "everybody", "all my classmates", "other people",
        "other applicants"),
    "已进群": ("被拉进", "拉进群", "进群了", "都进了", "已经进", "早都进", "got added",
        "been added", "were added", "already added", "added last", "就被拉", "都被拉", "进了群",
        "已经在群里", "都在群里", "in the group", "joined", "拉进去了", "被拉了", "都拉群了",
        "拉群了", "都进群", "都在群", "被拉群", "群邀请", "收到邀请", "邀请进群", "invited",
        "被邀请", "都有群了", "有群了", "都有群", "被拉进去"),
    "临近": ("明天", "后天", "马上", "快要", "就要", "tomorrow", "soon", "deadline", "截止",
        "来不及", "急死", "急", "就复试", "就要复试", "就面试", "快复试", "马上复试", "复试在即",
        "下周", "今天之内", "今天内", "今晚", "当天"),
    "复试": ("复试", "面试", "interview", "re-examination", "reexamination"),
    "不急": ("不急", "不着急", "no rush", "not urgent", "刚刚", "刚激活", "今天上午", "today",
        "刚弄", "昨晚刚", "刚刚激活"),
    "本校身份": ("延期毕业", "延毕", "在校生", "本校学生", "本校老师", "本校的老师", "本校职工",
        "学校的老师", "学校的在职", "校内老师", "本校研究生在读", "本校本科", "教职工", "工号",
        "职工", "教师", "教工", "本校研究生", "本校的研究生", "本校本科生", "本校在读",
        "本校的学生", "本校教师", "本校硕士", "本校博士", "本校生", "本校学子", "本校在职",
        "学校在职", "学校的博士", "博士后", "current student", "currently an undergraduate",
        "staff member", "uestc staff", "uestc student"),
    "指南": ("指南", "guide", "哪个指南", "which guide"),
    "本校": ("本校", "成电", "我校", "uestc", "电子科大", "电子科技大学", "学校"),
    "校园服务": ("平安成电", "门户", "信息门户", "图书馆", "校园网", "wifi", "wi-fi", "无线网",
        "数据库", "database", "library", "portal", "campus network", "进校", "进学校", "入校",
        "进校园", "校门", "campus", "访客", "visitor", "刷进去", "教务系统", "邮箱系统", "知网",
        "校园卡", "一卡通", "门禁", "进出学校", "入校预约", "campus card", "enter the campus",
        "选课", "教务", "学校邮箱", "校园邮箱", "学校的邮箱", "school email", "university email",
        "学校系统", "校内系统", "内网", "校内网站", "实验室", "进实验室", "教室", "在校内",
        "上网认证", "网络认证", "校园网认证", "连网", "联网", "连网络", "正版软件平台",
        "软件平台", "学校的系统", "刷卡", "食堂刷卡", "学校上网", "校内上网", "在学校上网",
        "查文献", "文献", "查论文", "论文数据库"),
    "成功": ("成功", "激活成功", "worked", "succeeded", "successful", "success", "激活完成",
        "弄好了", "激活好了", "是不是激活", "真的激活", "done"),
    "确认成功": ("怎么确认", "如何确认", "确认一下", "怎么知道", "怎么看", "how do i check",
        "how can i tell", "check whether", "how to confirm", "how do i know", "是不是就算",
        "算激活", "这个是弄好了", "再确认", "是否成功", "成功了吗", "成功没", "怎么判断",
        "如何判断", "是否激活", "有没有激活成功", "激活成功了没", "did it work",
        "is it activated", "算成功吗", "成功了没有", "是不是成功了", "成功没有", "到底激活",
        "成没成功", "成功没成功", "成功与否", "是否激活成功", "有没有成功", "办法看",
        "怎么查看是否", "成了没", "成没成", "咋知道", "咋看", "成功了没", "怎么看是否", "怎么查",
        "才算成功", "算成功", "什么算成功", "显示什么", "标志", "成功的标志", "是啥样", "啥样",
        "什么样", "截图", "激活成功了吗", "激活成功没", "激活成功了嘛", "激活成功没有",
        "出现什么", "会出现什么"),
    "我的企业": ("我的企业", "通讯录", "contacts", "my enterprise", "my company", "学校的企业",
        "进入企业"),
    "应用": ("应用", "校内应用", "apps", "工作台"),
    "在哪": ("在哪", "在那", "在哪里", "哪里", "where", "入口", "找不到", "没找到", "找不着",
        "没找着", "位置", "怎么找", "zai na", "zaina", "zai nali", "在哪看", "在哪儿"),
    "邮箱": ("邮箱", "email", "e-mail", "mail", "qq邮箱", "163邮箱", "邮件"),
    "邮箱不可用": ("email had a typo", "typo", "没绑对", "nothing arrives there", "没绑邮箱",
        "没有绑定邮箱", "没填邮箱", "没有邮箱", "邮箱没绑", "no email", "忘了邮箱", "不记得邮箱",
        "忘了是哪个邮箱", "不记得是哪个邮箱", "never had access to the email",
        "no access to the email", "can't access the email", "cannot access my email",
        "can't access my email"),
    "邮箱可用": ("邮箱还能用", "邮箱还能收", "邮箱能用", "email still works", "邮箱可以用",
        "还能收信"),
    "顺序": ("顺序", "先激活", "先扫", "哪个先", "first or", "order"),
    "身份证件": ("证件类型", "证件号", "证件号码", "身份证", "身份证号", "护照", "passport",
        "id type", "id number", "居民身份证", "港澳", "台胞证", "证件", "姓名", "名字",
        "真实姓名", "拼音还是汉字", "name field"),
    "考生号": ("考生号", "考号", "准考证号", "准考证", "candidate number", "exam number",
        "registration number", "报名号"),
    "信息不符": ("信息不匹配", "不匹配", "不一致", "已被使用", "已被占用", "已经被使用",
        "校验不通过", "验证不通过", "身份校验", "核验失败", "does not match", "doesn't match",
        "do not match", "not match", "not found", "does not exist", "already in use", "已被绑定",
        "查无此人", "校验失败", "信息有误", "信息错误", "身份信息错误", "identity check failed",
        "身份校验失败", "校验没通过", "核验不通过", "显示不存在", "查不到我", "已注册",
        "已被注册", "已经注册", "被注册", "证件号已存在", "信息对不上", "对不上", "核验不了",
        "不符", "mismatch", "已存在", "已经存在", "inconsistent", "not consistent",
        "does not match the records", "doesn't match the records", "already been used",
        "been used by another", "used by another account", "already registered", "already exists",
        "already taken", "被别人用了", "被人用了", "identity verification failed",
        "verification failed on the idas", "failed identity", "identity check failed on",
        "查询不到", "查不到该", "找不到该考生", "无此考生", "已被他人", "被他人", "被别人激活",
        "被人激活", "无法通过身份", "通过不了", "没法通过", "没有我的信息", "查不到我的信息",
        "系统里没有", "未找到考生", "未找到考生信息", "找不到考生", "已绑定其他", "绑定其他账号",
        "被其他账号", "校验未通过", "未通过校验", "can't find my", "cannot find my", "rejects my",
        "rejected my", "no record", "not in the system", "candidate record", "考生不存在",
        "考生号不存在", "用户不存在", "账号不存在", "信息不存在", "考生信息不存在",
        "该考生不存在", "号码不存在", "证件号不存在", "registered by someone",
        "registered by another", "by someone else", "by another account"),
    "步骤2": ("第二步", "第2步", "step 2", "step2", "步骤二", "第二个步骤"),
    "步骤3": ("第三步", "第3步", "step 3", "step3", "步骤三", "第三个步骤", "核对信息",
        "验证手机号", "验证手机号码", "手机号验证", "验证手机"),
    "步骤4": ("第四步", "第4步", "step 4", "step4", "步骤四"),
    "步骤5": ("第五步", "第5步", "step 5", "step5", "步骤五"),
    "家长": ("家长", "孩子", "我妈", "我爸", "parent", "my son", "my daughter"),
    # out of scope: the desk cannot answer these from the guide
    "范围外": ("分数线", "成绩", "查分", "分数", "住宿", "宿舍", "调剂", "名额", "名单", "录取",
        "体检", "office", "正版软件", "正版", "打印机", "蓝屏", "电脑坏", "修电脑", "帮忙修",
        "laptop", "printer", "documents", "线上还是线下", "线上", "线下", "点链接", "钓鱼",
        "诈骗", "账号异常", "导师", "学费", "奖学金", "报到", "考场", "准考证打印", "政审",
        "档案", "公示", "reimburse", "scholarship", "tuition", "dormitory", "accommodation",
        "score", "scores", "admission list", "病毒", "中毒", "死机", "维修", "网费", "报名费",
        "学信网", "推免", "研招网", "专业课", "参考书", "招生简章", "缴费", "拟录取", "酒店",
        "停车", "食宿", "网课", "快递", "初试", "复试线", "online", "offline", "成绩单",
        "复试时间安排", "连不上网", "上不了网", "断网", "电脑的wifi", "电脑连不上", "复试比例",
        "录取比例", "报录比", "比例", "排名", "研究生院的电话", "地点", "交费", "费用", "收费",
        "fee", "fees", "发文件", "打卡", "会议", "请假", "审批", "网站打不开", "带电脑",
        "几号开学", "vpn", "连不上", "开学时间", "什么时候开学", "官网打不开", "复试材料",
        "带什么材料", "带的材料", "需要带", "提交材料", "寄材料"),
}

# A few patterns that literals cannot express.
_SCHOOL = r"(?:电子科大|成电|电子科技大学|本校|uestc)"
_EMAIL_GONE = "|".join((
    "停用", "填错", "收不到", "登不进去", "冻结", "被冻", "封了", "登录不了", "进不去",
    "没有绑", "没绑",
    "没填", "没绑对", "不能用", "用不了", "注销", "没有了", "登不上",
    "忘了", "不记得", "没填对", "填的不对", "乱填", "随便填", "瞎填", "没用过", "不用了",
    "被封", "typo", "nothing arrives", "doesn't exist", "does not exist", "anymore", "closed",
    "deleted", "not accessible", "inaccessible", "can't access", "cannot access", "no access",
    "no longer", "not working", "invalid", "wrong",
))
_SCHOOLS = ("电子科大", "成电", "电子科技大学", "本校", "uestc")
# (pattern, tag, triggers): a pattern only runs on a text containing one of its
# triggers, which keeps twenty patterns from costing twenty scans of every text
PATTERNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"(?:[3-9]|[1-9]\d)\s*多?\s*(?:天|days?)", "等很久", ("天", "day")),
    (r"[三四五六七八九十]+\s*多?\s*天", "等很久", ("天",)),
    (r"[两三四五六七八九十几\d]+\s*个?多?\s*(?:星期|礼拜|周)", "等很久", ("星期", "礼拜", "周")),
    (r"current(?:ly)?\s+(?:an?\s+)?(?:uestc\s+)?(?:master'?s?|phd|undergraduate|graduate|postgraduate)?"
     r"\s*student", "本校身份", ("student",)),
    (rf"(?:本科|研究生|硕士|博士)[^,。;?!]{{0,4}}{_SCHOOL}", "本校身份", _SCHOOLS),
    (r"(?:student|staff|employee|undergraduate|faculty|studying)\s+(?:member\s+)?(?:at|of|in)\s+uestc",
     "本校身份", ("uestc",)),
    (rf"{_SCHOOL}[^,。;?!]{{0,4}}(?:本科|在读|毕业|的学生|读大|读研|大[一二三四]|研[一二三]|研究生|硕士|博士)",
     "本校身份", _SCHOOLS),
    # "电子科大的老师好" greets the desk; "我是电子科大的老师" is a member of staff
    (rf"(?:我是|本人是)[^,。;?!]{{0,3}}{_SCHOOL}[^,。;?!]{{0,4}}(?:老师|教师|职工|员工)",
     "本校身份", ("我是", "本人是")),
    (r"(?:graduated|graduate|alumn\w*)\s+(?:from|of)\s+uestc|uestc\s+(?:graduate|alumn\w*)",
     "本校身份", ("uestc",)),
    (r"(?:never|didn't|did not|don't|do not|no)\s+(?:set|bind|bound|have|had|use|used)\s+(?:up\s+)?"
     r"(?:a\s+|an\s+|any\s+)?(?:real\s+|valid\s+|working\s+)?e-?mail", "邮箱不可用", ("mail",)),
    (rf"(?:邮箱|email|mail)[^,。;?!]{{0,20}}?(?:{_EMAIL_GONE})", "邮箱不可用", ("邮箱", "mail")),
    (r"(?:can't|cannot|don't|do not)\s+remember\s+(?:which|what|the|my)\s+e-?mail", "邮箱不可用",
     ("remember",)),
    (r"(?:[3-9]|[1-9]\d|[三四五六七八九十]+)\s*次", "重试", ("次",)),
    (r"[六七八九十]+次|五次|\d+\s*times|(?:three|four|five|six|seven|eight|nine|ten|several|multiple"
     r"|many|a dozen|dozens of)\s+times", "重试", ("次", "times")),
    (r"(?:鸿蒙|harmonyos|harmony)\s*(?:os)?\s*[4３]", "鸿蒙旧版", ("鸿蒙", "harmony")),
    (r"不是\s*(?:next|纯血)", "鸿蒙旧版", ("不是",)),
    (r"不是鸿蒙", "不是鸿蒙", ("不是鸿蒙",)),
    (r"(?:confirm|check|verify|tell|know|see)\b[^.?!]{0,30}(?:succeeded|successful|worked|success)",
     "确认成功", ("succe", "worked")),
    (r"(?:确认|确定|知道|判断|看出)[^,。;?!]{0,6}(?:成功|激活好|激活了|激活完)", "确认成功",
     ("成功", "激活好", "激活了", "激活完")),
    (r"(?:姓名|名字|身份证号?|证件号码?|考生号)[^,。;?!]{0,3}"
     r"(?:不对|错误|有误|不正确|不一致|对不上|无效|不存在)", "信息不符",
     ("不对", "错误", "有误", "不正确", "不一致", "对不上", "无效", "不存在")),
    (r"不是(?:验证码|短信)(?:的)?问题", "已收到", ("不是",)),
    (r"(?:验证码|短信|code)(?:已经|也|都|是)?(?:收到了|已收到|正常收到|arrived|came)", "已收到",
     ("收到", "arrived", "came")),
)

# Traditional characters of the domain's words (candidates from Hong Kong,
# Macau, Taiwan), folded to simplified so one lexicon serves both.
_TRADITIONAL = str.maketrans(
    "驗證碼號碼認統帳戶啟動關註銷機羣學業訊鴻試復圖書館網門確絡機碼條態簡單"
    "裡這個們為麼還沒來說話請問時間後綁換舊郵箱設置識別處理須電話聯繫辦應"
    "僅權與從無當對開發雲際麥錯誤體驗驚讀過實選項頁鎖憑擊遲進幫續決",
    "验证码号码认统账户启动关注销机群学业讯鸿试复图书馆网门确络机码条态简单"
    "里这个们为么还没来说话请问时间后绑换旧邮箱设置识别处理须电话联系办应"
    "仅权与从无当对开发云际麦错误体验惊读过实选项页锁凭击迟进帮续决",
)

# circled numbers list problems: each starts a sentence
_CIRCLED = {codepoint: ";" for codepoint in range(0x2460, 0x2474)}

SENTENCE_BREAK = re.compile(
    r"[。！？!?；;\n]+|还有[，,]?|另外[，,]?|顺便|此外|以及|再问|然后想问"
    r"|also[,，]?|btw|by the way|\.\s+"
    # numbered lists of problems: "1. ... 2. ...", "①...②", "问题二："
    r"|(?:^|\s)\d{1,2}\s*[.、)）:：]|问题[一二三四五12345]\s*[:：]?|[（(]\d[)）]"
)


def fold(text: str) -> str:
    """Width and case folding (全角→半角, Ａ→a), traditional to simplified
    characters of the domain, control characters to spaces,
    runs of blanks collapsed; only the first MAX_CHARS characters are read."""
    text = str(text)[: MAX_CHARS * 2].translate(_CIRCLED)  # before NFKC turns ① into 1
    text = unicodedata.normalize("NFKC", text)[:MAX_CHARS]
    text = text.lower().translate(_TRADITIONAL)
    return re.sub(r"[\x00-\x1f\x7f\s]+", " ", text)


class Lexicon:
    """Leftmost-longest scanner over the literal variants (plus PATTERNS).

    The variants are compiled into one regular expression shaped as a trie
    (shared prefixes, longer branches first), so the scan runs in the regex
    engine; an ASCII word only matches whole ('code' not inside 'qrcode').
    A second trie over the same words spelled as toneless pinyin catches the
    homophones of pinyin input methods and voice input (统一任证, 姬活, 二为码,
    关住) where the exact scan found nothing longer."""

    def __init__(self, entries: dict[str, tuple[str, ...]], patterns=PATTERNS):
        self._tags: dict[str, list[str]] = {}
        for tag, variants in entries.items():
            for variant in variants:
                variant = fold(variant).strip()
                if variant and tag not in self._tags.setdefault(variant, []):
                    self._tags[variant].append(tag)
        self._regex = re.compile(_trie_pattern(self._tags)) if self._tags else None
        self._patterns = [(re.compile(p), tag, triggers) for p, tag, triggers in patterns]
        self._sound_tags: dict[str, list[str]] = {}
        sounds = _sounds()
        if sounds:
            for variant, tags in self._tags.items():
                wanted = [t for t in tags if t in SOUND_TAGS]
                if wanted and len(variant) >= 2 and all(ord(ch) in sounds for ch in variant):
                    self._sound_tags.setdefault(variant.translate(sounds), []).extend(wanted)
        self._sound_regex = (
            re.compile(_trie_pattern(self._sound_tags)) if self._sound_tags else None
        )

    def scan(self, folded: str) -> list[tuple[str, int, int]]:
        """(tag, start, end) of every concept found, left to right."""
        hits = []
        if self._regex is not None:
            tags = self._tags
            for m in self._regex.finditer(folded):
                start, end = m.span()
                if start and _is_word(folded[start]) and _is_word(folded[start - 1]):
                    continue  # the tail of a longer ASCII word
                for tag in tags[m.group()]:
                    hits.append((_negated(tag, folded, start, end), start, end))
        if self._sound_regex is not None:
            hits = self._homophones(folded, hits)
        for pattern, tag, triggers in self._patterns:
            if any(trigger in folded for trigger in triggers):
                hits.extend((tag, m.start(), m.end()) for m in pattern.finditer(folded))
        return hits

    def _homophones(self, folded, hits):
        sounded = folded.translate(_sounds())
        if sounded == folded:
            return hits
        for m in self._sound_regex.finditer(sounded):
            start, end = m.span()
            if folded[start:end] in self._tags:
                continue  # spelled right: the exact scan has it
            inside = [h for h in hits if h[1] < end and h[2] > start]
            if all(start <= h[1] and h[2] <= end and h[2] - h[1] < end - start for h in inside):
                hits = [h for h in hits if h not in inside]
                hits.extend((tag, start, end) for tag in self._sound_tags[m.group()])
        hits.sort(key=lambda h: h[1])
        return hits


# The concepts worth finding by sound: the nouns and verbs of the guide, where
# a homophone is almost surely a typo; not the short function words
# (还没, 在哪, 试了) whose homophones are other everyday words.
SOUND_TAGS = {
    "统一认证", "激活", "企业微信", "企业号", "二维码", "密码", "忘记", "找回", "验证码", "没收到",
    "关注", "取消关注", "二次验证", "消息中心", "鸿蒙", "微信账号", "信息不符", "确认成功", "成功",
    "完成", "改", "登录过", "从未登录", "校园服务", "本校身份", "我的企业", "确认无误",
}


@functools.cache
def _sounds() -> dict[int, str]:
    """Chinese character -> one private-use character per toneless syllable,
    for str.translate (table in sounds.py)."""
    from .sounds import syllable_table

    return {codepoint: chr(0xE000 + number) for codepoint, number in syllable_table().items()}


# Who the candidate is and what they name as fine are facts that a negation
# turns around: "我不是本校学生", "考生号和身份证都没问题". The tag becomes
# "not:<tag>", which no rule asks for.
NEGATED_BEFORE = {"本校身份", "鸿蒙", "华为"}
NEGATED_AFTER = {"身份证件", "考生号", "统一认证", "手机号", "二维码"}
_NEGATION_BEFORE = re.compile(r"(?:不是|并非|并不是|not an?|not)\s*$")
_NEGATION_AFTER = re.compile(
    r"^\s*(?:和[^,。;?!]{1,6})?(?:都|也|是)?"
    r"(?:没问题|没错|正确|对的|都对|no problem|is fine|are fine)"
)


def _negated(tag: str, folded: str, start: int, end: int) -> str:
    if tag in NEGATED_BEFORE and _NEGATION_BEFORE.search(folded, max(0, start - 5), start):
        return "not:" + tag
    if tag in NEGATED_AFTER and _NEGATION_AFTER.match(folded[end : end + 16]):
        return "not:" + tag
    return tag


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _trie_pattern(words) -> str:
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def render(node: dict, last: str) -> str:
        alternatives = [re.escape(ch) + render(child, ch)
                        for ch, child in sorted(node.items(), key=lambda kv: kv[0]) if ch]
        if "" in node:  # a word ends here: tried last, so longer words win
            alternatives.append("(?![a-z])" if _is_word(last) else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    branches = []
    for ch, child in sorted(root.items()):
        branches.append(re.escape(ch) + render(child, ch))
    return "|".join(branches)


def sentences(folded: str) -> list[tuple[int, int]]:
    """Spans of the sentences: a candidate raising several problems usually
    starts a new sentence (or says 还有/另外/also) for each."""
    spans, start = [], 0
    for m in SENTENCE_BREAK.finditer(folded):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return spans

"""The demo company's vocabulary: regions, product lines, cities, company and person names,
customer types and lead sources with their shares, and the texts of lost reasons, risk
flags, customer feedback, visit goals and commitments."""

from __future__ import annotations

REGIONS = (
    ("south", "华南", "South China"),
    ("east", "华东", "East China"),
    ("north", "华北", "North China"),
)
# code, zh, en, share of opportunities, median deal (yuan)
PRODUCT_LINES = (
    ("smart_mfg", "智能制造套件", "Smart Manufacturing Suite", 0.40, 600_000),
    ("cloud", "云服务", "Cloud Services", 0.35, 200_000),
    ("analytics", "数据分析平台", "Data Analytics Platform", 0.25, 350_000),
)
CITIES = (
    ("深圳", "广州", "东莞", "佛山", "珠海", "厦门", "福州", "南宁", "海口"),
    ("上海", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "常州", "温州"),
    ("北京", "天津", "石家庄", "济南", "青岛", "太原", "沈阳", "大连", "唐山"),
)
COMPANY_WORD1 = "华恒鼎瑞金博天宏信永嘉中新卓海汇创联盛德正通科星远光明泰润安万隆东宇凯昌福兴达银"
COMPANY_WORD2 = "睿通盛丰石远成达诚泰禾锐越川金维信辉源航拓晟宸驰鑫邦威腾凯方元和宇康瑞林峰华盈讯"
INDUSTRIES = {
    "制造业": ("精密制造有限公司", "机械制造有限公司", "智能装备股份有限公司", "制造集团"),
    "电子": ("电子科技有限公司", "半导体股份有限公司", "光电科技有限公司"),
    "汽车零部件": ("汽车零部件有限公司", "汽车部件集团"),
    "医药": ("医药集团", "生物科技有限公司", "制药股份有限公司"),
    "零售": ("商贸有限公司", "连锁超市有限公司", "零售集团"),
    "物流": ("物流有限公司", "供应链管理有限公司", "国际货运代理有限公司"),
    "能源": ("能源科技有限公司", "新能源股份有限公司", "电力工程有限公司"),
    "化工": ("化工有限公司", "新材料股份有限公司"),
    "食品": ("食品有限公司", "食品饮料集团"),
    "信息技术": ("信息技术有限公司", "软件股份有限公司", "网络科技有限公司"),
    "贸易": ("贸易有限公司", "进出口有限公司"),
    "建筑": ("建设集团有限公司", "建筑工程有限公司"),
}
GOVERNMENT_UNITS = (
    ("市交通运输局", "政府机构"), ("市数据资源管理局", "政府机构"), ("市市场监督管理局", "政府机构"),
    ("市生态环境局", "政府机构"), ("市政务服务中心", "政府机构"), ("市住房和城乡建设局", "政府机构"),
    ("市水务集团", "公共事业"), ("市燃气集团", "公共事业"), ("市公交集团", "公共事业"),
    ("市地铁集团", "公共事业"), ("市第一人民医院", "医疗卫生"), ("市第二人民医院", "医疗卫生"),
    ("市中医院", "医疗卫生"), ("市妇幼保健院", "医疗卫生"), ("市职业技术学院", "教育"),
    ("市第一中学", "教育"), ("市城市投资集团", "国有企业"), ("市港务集团", "国有企业"),
)  # fmt: skip
SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"),
    ("曾", "zeng"), ("田", "tian"), ("董", "dong"), ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"),
)  # fmt: skip
GIVEN_NAMES = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("磊", "lei"),
    ("强", "qiang"), ("洋", "yang"), ("艳", "yan"), ("杰", "jie"), ("军", "jun"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("婷", "ting"), ("浩", "hao"), ("鹏", "peng"), ("欣", "xin"),
    ("志强", "zhiqiang"), ("建华", "jianhua"), ("晓东", "xiaodong"), ("海燕", "haiyan"),
    ("丽娟", "lijuan"), ("子涵", "zihan"), ("浩然", "haoran"), ("思远", "siyuan"), ("雨欣", "yuxin"),
    ("嘉怡", "jiayi"), ("俊杰", "junjie"), ("文博", "wenbo"), ("佳琪", "jiaqi"), ("一鸣", "yiming"),
    ("梓萱", "zixuan"), ("天宇", "tianyu"), ("晓燕", "xiaoyan"), ("国强", "guoqiang"),
)  # fmt: skip
CN_NUMERALS = "一二三四五六七八九十"
SOURCES = ("website", "exhibition", "referral", "cold_call", "partner")
SOURCE_SHARES = (0.25, 0.20, 0.20, 0.20, 0.15)
SOURCE_LEAD_SKILL = (1.0, 0.9, 1.5, 0.7, 1.2)  # how well each source's leads qualify
CUSTOMER_TYPES = ("enterprise", "smb", "government")
CUSTOMER_TYPE_SHARES = (0.60, 0.32, 0.08)
CUSTOMER_TYPE_AMOUNT = (1.2, 0.5, 1.5)  # deal size factor of each customer type
# Lost reasons per open stage, with weights.
LOST_REASONS = (
    (("需求不明确", 0.35), ("预算取消", 0.25), ("无法联系决策人", 0.2), ("选择竞品", 0.2)),
    (("需求变化", 0.3), ("预算取消", 0.25), ("选择竞品", 0.25), ("决策延迟", 0.2)),
    (("选择竞品", 0.4), ("方案不匹配", 0.25), ("价格过高", 0.2), ("决策延迟", 0.15)),
    (("价格过高", 0.45), ("选择竞品", 0.3), ("决策延迟", 0.15), ("预算取消", 0.1)),
)
DELAY_FLAGS = (("延迟(客户原因)", 0.55), ("延迟(内部原因)", 0.30), ("竞品威胁", 0.15))
PROBLEM_FEEDBACK = (
    "价格偏高",
    "需补充竞品对比",
    "决策链复杂",
    "预算待审批",
    "需求尚未明确",
    "内部流程较慢",
)
GOOD_FEEDBACK = (
    ("满意", 0.35),
    ("认可方案", 0.2),
    ("希望尽快推进", 0.15),
    ("需补充案例", 0.1),
    ("", 0.2),
)
VISIT_GOALS = ("了解客户需求", "方案演示", "技术交流", "商务洽谈", "关系维护", "高层拜访")
COMMITMENTS = (
    "安排技术交流",
    "提供预算范围",
    "引荐决策人",
    "确认需求清单",
    "安排试点验证",
    "推进合同审批",
)

"""Edge-case data of every printable form (a 38-character institution name, a multi-site person with two long
violations, 阿依古丽·买买提) and the page count each must print on."""

from __future__ import annotations

import datetime as dt

from yibao_desktop.domain.legal_basis import LegalBasis

OFFICE = {
    "name": "揭阳市医疗保障事业管理中心",
    "seal_text": "揭阳市医疗保障事业管理中心",
    "contact": "李四",
    "contact_phone": "0663-8888888",
}
LONG_INST = "广东省揭阳市揭东区玉滘镇人民政府举办的中心卫生院附属社区卫生服务中心门诊部二"  # 38 characters
SHORT_INST = "揭阳市揭东区玉滘镇中心卫生院"
NAME = "阿依古丽·买买提"
ID = "445202199001011234"
CODES = "D445202000001、D445203000002、D445204000003、D445205000004"
VIOLATIONS = [
    "2026年3月5日至2026年4月28日期间，在揭阳市揭东区玉滘镇中心卫生院及其下设门诊部为参保人员"
    "冒名结算门诊特定病种费用共计37人次，涉及医保基金12345.67元（主要责任）",
    "2026年5月12日，在广东省揭阳市揭东区玉滘镇人民政府举办的中心卫生院附属社区卫生服务中心门诊部"
    "串换药品、医用耗材、诊疗项目和服务设施，诱导参保人员住院（主要责任）",
]
PERSON = {
    "name": NAME,
    "sex": "女",
    "id_number": ID,
    "person_code": CODES,
    "phone": "13800138000",
    "institution_name": LONG_INST,
    "institution_code": "H44520200001",
}
NOTICE = "揭医保记〔2026〕1234号"
RELIEF = LegalBasis().relief("揭阳市医疗保障局")  # the relief sentence of every deciding notice
GD = "《广东省医疗机构医疗保障定点管理暂行办法》"
DECIDED = {"remedy": RELIEF}
LONG_OPINION = [
    "经核查，该同志已按要求参加医保政策培训并考试合格，在本机构执业期间无新的违规行为，"
    "同意其申请，请医疗保障经办机构审核。"
]

EDGE: dict[str, dict] = {
    "annex1": {**PERSON, "sign_date": dt.date(2026, 1, 5)},
    "annex2": {
        **PERSON,
        "birth_date": "1990-01-01",
        "region_code": "445202",
        "practice_type": "临床",
        "practice_category": "执业医师",
        "practice_scope": "内科专业、外科专业、妇产科专业",
        "professional_title": "副主任医师",
        "status": "暂停",
        "commitment": True,
    },
    "annex3": {
        **PERSON,
        "doc_no": NOTICE,
        "violations": VIOLATIONS,
        "points": 24,
        "year_total": 12,
        "cap_note": "本年度累计记分以12分为限，超出部分不再累计。",
        "disposition": "termination",
        "terminate_years": 1,
        "terminate_start": dt.date(2026, 11, 16),
        "terminate_end": dt.date(2027, 11, 15),
        "issue_date": dt.date(2026, 11, 13),
        "approved_by": "欧阳阿依古丽（reviewer）",
    },
    "annex4": {
        **PERSON,
        "notice_no": NOTICE,
        "content": ["已参加医保政策培训并考试合格。" * 3, "本人已参加记分修复活动3次，申请修复记分。"],
        "apply_date": "2026-05-25",
        "institution_opinion": LONG_OPINION,
        "institution_date": "2026-05-26",
        "office_opinion": ["同意修复，修复记分3分。"],
        "office_date": "2026-05-28",
    },
    "annex5": {
        **PERSON,
        "notice_no": NOTICE,
        "content": ["本人当日在外院进修，未参与该次结算。" * 4],
        "apply_date": "2026-05-25",
        "institution_opinion": LONG_OPINION,
        "institution_date": "2026-05-26",
        "office_opinion": ["经复核，维持原处理决定。"],
        "office_date": "2026-05-28",
    },
    "annex6": {
        **PERSON,
        "violation": "；".join(VIOLATIONS),
        "notice_no": NOTICE,
        "period_start": "2026-03-15",
        "period_end": "2026-06-14",
        "apply_date": "2026-06-15",
        "institution_opinion": LONG_OPINION,
        "institution_date": "2026-06-16",
        "office_opinion": ["同意恢复医保支付资格。"],
        "office_date": "2026-06-18",
    },
    "annex7": {
        "doc_no": "揭医保抄〔2026〕12号",
        "recipient": "揭阳市卫生健康局、揭阳市市场监督管理局",
        "findings": f"{LONG_INST}相关人员{NAME}存在“冒名结算”“串换药品”的违规行为",
        "scoring": "24分，本年度累计记分12分",
        "materials": ["相关人员记分情况（见附件）", f"医保支付资格处理通知书（{NOTICE}）"],
        "issuer": "揭阳市医疗保障局",
        "issue_date": "2026-11-20",
        "scores": [
            {
                "name": NAME,
                "id_number": ID,
                "institution_name": LONG_INST,
                "violation": v[:40],
                "points": 12,
                "year_total": 12,
            }
            for v in VIOLATIONS
        ],
    },
    "supplement": {
        "doc_no": "揭医保告〔2026〕30号",
        "institution_name": LONG_INST,
        "received_date": "2026-11-02",
        "materials": [
            "与医疗保障有关的信息系统相关材料",
            "纳入定点后使用医疗保障基金的预测性分析报告",
            "医疗机构执业许可证或中医诊所备案证复印件",
            "法定代表人、主要负责人身份证复印件",
        ],
        "deadline": "2026-11-30",
        "contact": "李四",
        "contact_phone": "0663-8888888",
        "issue_date": "2026-11-06",
    },
    "refusal": {
        "doc_no": "揭医保告〔2026〕31号",
        "institution_name": LONG_INST,
        "received_date": "2026-11-02",
        "reasons": [
            "以医疗美容、辅助生殖、生活照料等非基本医疗服务为主要执业范围",
            "法定代表人、主要负责人或实际控制人曾因严重违法违规导致原定点医疗机构被解除医保协议，未满5年",
        ],
        "issue_date": "2026-11-05",
        "basis": GD + "第九条第（一）项、第（七）项",
        **DECIDED,
    },
    "evaluation": {
        "doc_no": "揭医保评〔2026〕5号",
        "institution_name": LONG_INST,
        "accepted_date": "2026-09-02",
        "result": "不合格",
        "reasons": ["信息系统不具备直接联网结算条件", "未配备专（兼）职医保管理人员"],
        "advice": ["完成医保信息系统接口改造", "配备专（兼）职医保管理人员"],
        "issue_date": "2026-11-20",
        "publicity_days": 7,
        "reevaluation_months": 3,
        "reapply_ban_years": 1,
        "basis": GD + "第十二条",
        **DECIDED,
    },
    "evaluation_checks": {
        "institution_name": LONG_INST,
        "checks": [
            {
                "item": "是否以医疗美容、辅助生殖、生活照护、种植牙等非基本医疗服务为主要执业范围？",
                "answer": "否",
                "basis": "主要执业范围“内科、外科”不含非基本医疗服务",
            },
            *[{"item": "是否具有符合医保协议管理要求的信息系统技术和接口标准？", "answer": "是", "basis": "已具备"}]
            * 12,
            {
                "item": "是否符合法律、法规、规章和省级及以上医疗保障行政部门规定的其他条件？",
                "answer": "是",
                "basis": "zhangli于2026-11-20核实：经现场核查，符合省级规定的其他条件（证据：现场核查记录、营业执照）",
            },
            {"item": "是否已正式运营满3个月？", "answer": "否", "basis": "2026-09-01起运营，至2026-12-02方满3个月"},
        ],
    },
    "publicity": {
        "doc_no": "揭医保公〔2026〕2号",
        "start_date": "2026-11-02",
        "end_date": "2026-11-11",
        "period_text": "自2026年11月3日起至2026年11月11日止（7个工作日）",
        "contact": "李四",
        "contact_phone": "0663-8888888",
        "issue_date": "2026-11-02",
        "institutions": [
            {
                "name": LONG_INST if n == 1 else f"揭阳市第{n}社区卫生服务中心",
                "code": f"H445202{n:05d}",
                "kind": "社区卫生服务中心",
                "address": f"揭阳市榕城区东兴路{n}号",
            }
            for n in range(1, 15)
        ],
    },
    "agreement_suspension": {
        "doc_no": "揭医保协〔2026〕30号",
        "institution_name": LONG_INST,
        "institution_code": "H44520200009",
        "reasons": VIOLATIONS,
        "agreement_no": "JY2026-0009",
        "start_date": "2026-11-16",
        "end_date": "2027-02-15",
        "issue_date": "2026-11-13",
        "basis": GD + "第四十一条、本机构处理决定（揭医保协决〔2026〕8号）",
        **DECIDED,
    },
    "agreement_termination": {
        "doc_no": "揭医保协〔2026〕31号",
        "institution_name": LONG_INST,
        "institution_code": "H44520200009",
        "reasons": VIOLATIONS,
        "agreement_no": "JY2026-0009",
        "effective_date": "2026-12-01",
        "issue_date": "2026-11-25",
        "basis": GD + "第四十二条第（六）项、本机构处理决定（揭医保协决〔2026〕7号）",
        **DECIDED,
    },
    "guidance_extension": {
        "doc_no": "揭医保协〔2026〕32号",
        "institution_name": LONG_INST,
        "guidance_start": "2026-01-01",
        "reasons": VIOLATIONS,
        "extension_start": "2026-07-01",
        "extension_end": "2026-12-31",
        "extension_months": 6,
        "issue_date": "2026-06-20",
        **DECIDED,
    },
    "recovery_notice": {
        "doc_no": "揭医保追〔2026〕3号",
        "institution_name": LONG_INST,
        "institution_code": "H44520200009",
        "check_no": "12",
        "file_name": "2026年10月结算明细（全市）.csv",
        "span": "2026年10月1日至2026年10月31日",
        "line_count": "3",
        "recover_total": "12,345.67",
        "emergency_count": "1",
        "unmaintained": "是",
        "issue_date": "2026-11-20",
        "lines": [
            {
                "name": NAME,
                "person_code": "D445202000001",
                "service_date": "2026-10-0" + str(n),
                "claim_id": f"JS202610{n:08d}",
                "amount": "4,115.22",
                "reason": "暂停期内结算" if n < 3 else "暂停期内结算（急诊抢救，不追回）",
            }
            for n in (1, 2, 3)
        ],
        **DECIDED,
    },
}
EDGE["evaluation"]["checks"] = EDGE["evaluation_checks"]["checks"]  # the notice goes out with its attachment

# Every form prints on one page, the publicity list of 14 institutions on two, annex 7 with its list on two, the
# 15 evaluation items of a national-profile evaluation (the 评估结果通知书's attachment) on two, the 追回通知 and its
# list of lines on two. The notices to one institution use the 信函格式 (GB/T 9704-2012 10.1: the mark 30 mm from
# the page top, the first page's text down to the second red line 20 mm above the bottom edge); with two long
# grounds, the relief sentence and a 38-character name the 中止协议通知书 and the guidance-extension notice fit one
# page at 13.5 pt on a grid 5 % tighter than the 13.5 pt step before (TIGHTEN step 7).
PAGES = {
    **{k: 1 for k in EDGE},
    "annex7": 2,
    "publicity": 2,
    "evaluation_checks": 2,
    "recovery_notice": 2,
}
# Realistic content (the 14-character 揭阳市揭东区玉滘镇中心卫生院, one ground, one person code, one violation):
# every one-page form stays on one page.
REALISTIC: dict[str, dict] = {
    fid: {
        **data,
        **{k: SHORT_INST for k in ("institution_name",) if k in data},
        **{k: data[k][:1] for k in ("reasons", "violations") if k in data},
        **({"violation": VIOLATIONS[0]} if "violation" in data else {}),
        **({"person_code": "D445202000001"} if "person_code" in data else {}),
    }
    for fid, data in EDGE.items()
}

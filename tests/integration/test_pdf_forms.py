"""Golden tests of the printable forms: text extracted with pypdf (not bytes) holds the key strings."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from yibao_desktop.adapters import pdf
from yibao_desktop.domain.errors import DomainError

OFFICE = {"name": "揭阳市医疗保障事业管理中心", "seal_text": "揭阳市医疗保障事业管理中心"}
PERSON = {
    "name": "张三",
    "sex": "男",
    "id_number": "445202199001011234",
    "person_code": "D445202000001",
    "phone": "13800138000",
    "institution_name": "揭阳市榕城区人民医院",
    "institution_code": "H44520200001",
}
SAMPLES: dict[str, dict] = {
    "annex1": {**PERSON, "sign_date": dt.date(2026, 1, 5)},
    "annex2": {
        **PERSON,
        "birth_date": "1990-01-01",
        "region_code": "445202",
        "practice_type": "临床",
        "practice_category": "执业医师",
        "practice_scope": "内科专业",
        "professional_title": "主治医师",
        "status": "暂停",
        "commitment": True,
    },
    "annex3": {
        **PERSON,
        "doc_no": "揭医保记〔2026〕12号",
        "violations": ["2026年3月5日，冒名结算（主要责任）", "同一年度内重复发生同一违规行为"],
        "points": 7,
        "year_total": 9,
        "disposition": "suspension",
        "suspend_months": 3,
        "suspend_start": dt.date(2026, 3, 15),
        "suspend_end": dt.date(2026, 6, 14),
        "issue_date": "2026-03-13",
    },
    "annex4": {**PERSON, "notice_no": "揭医保记〔2026〕12号", "content": ["已参加医保政策培训并考试合格。"]},
    "annex5": {
        **PERSON,
        "notice_no": "揭医保记〔2026〕12号",
        "content": "本人当日在外院进修，未参与该次结算。",
    },
    "annex6": {
        **PERSON,
        "violation": "冒名结算",
        "notice_no": "揭医保记〔2026〕12号",
        "period_start": "2026-03-15",
        "period_end": "2026-06-14",
        "apply_date": "2026-05-25",
    },
    "annex7": {
        "recipient": "揭阳市卫生健康局",
        "findings": "张三存在冒名结算行为",
        "scoring": "7分",
        "materials": ["记分情况表", "处理通知书复印件"],
        "issuer": "揭阳市医疗保障局",
        "issue_date": "2026-03-20",
        "scores": [
            {
                "name": "张三",
                "id_number": "445202199001011234",
                "institution_name": "揭阳市榕城区人民医院",
                "violation": "冒名结算",
                "points": 7,
                "year_total": 9,
            }
        ],
    },
    "supplement": {
        "doc_no": "揭医保告〔2026〕3号",
        "institution_name": "揭阳市仁和门诊部",
        "received_date": "2026-03-02",
        "materials": ["与医疗保障有关的信息系统相关材料", "纳入定点后使用医疗保障基金的预测性分析报告"],
        "deadline": "2026-03-31",
        "contact": "李四",
        "contact_phone": "0663-8888888",
        "issue_date": "2026-03-06",
    },
    "refusal": {
        "doc_no": "揭医保告〔2026〕4号",
        "institution_name": "揭阳市美颜医疗美容诊所",
        "received_date": "2026-03-02",
        "reasons": ["以医疗美容等非基本医疗服务为主要执业范围"],
        "issue_date": "2026-03-05",
    },
    "evaluation_checks": {
        "institution_name": "揭阳市仁和门诊部",
        "checks": [
            {
                "item": "是否已正式运营满3个月？",
                "answer": "是",
                "basis": "zhangli于2026-11-20核实：2026年5月起正式运营（证据：营业执照）",
            }
        ],
    },
    "evaluation": {
        "doc_no": "揭医保评〔2026〕5号",
        "institution_name": "揭阳市仁和门诊部",
        "accepted_date": "2026-03-02",
        "result": "不合格",
        "reasons": ["信息系统不具备直接联网结算条件"],
        "advice": ["完成医保信息系统接口改造"],
        "issue_date": "2026-05-20",
        "publicity_days": 7,
        "reevaluation_months": 3,
        "reapply_ban_years": 1,
    },
    "publicity": {
        "doc_no": "揭医保公〔2026〕3号",
        "period_text": "自2026年6月1日起至2026年6月9日止（7个工作日）",
        "contact_phone": "0663-8888888",
        "issue_date": "2026-05-29",
        "institutions": [
            {
                "name": f"揭阳市第{n}社区卫生服务中心",
                "code": f"H445202{n:05d}",
                "kind": "社区卫生服务中心",
                "address": f"揭阳市榕城区东兴路{n}号",
            }
            for n in range(1, 41)
        ],
    },
    "agreement_suspension": {
        "doc_no": "揭医保协〔2026〕7号",
        "institution_name": "揭阳市仁和门诊部",
        "institution_code": "H44520200009",
        "reasons": ["未按规定向经办机构提供有关数据"],
        "agreement_no": "JY2026-0009",
        "start_date": "2026-04-01",
        "end_date": "2026-06-30",
        "issue_date": "2026-03-28",
    },
    "agreement_termination": {
        "doc_no": "揭医保协〔2026〕8号",
        "institution_name": "揭阳市仁和门诊部",
        "institution_code": "H44520200009",
        "reasons": ["协议有效期内累计2次被中止协议"],
        "agreement_no": "JY2026-0009",
        "effective_date": "2026-07-01",
        "issue_date": "2026-06-25",
    },
    "guidance_extension": {
        "doc_no": "揭医保协〔2026〕9号",
        "institution_name": "揭阳市仁和门诊部",
        "guidance_start": "2026-01-01",
        "reasons": ["超范围使用医保目录药品"],
        "extension_start": "2026-07-01",
        "extension_end": "2026-12-31",
        "extension_months": 6,
        "issue_date": "2026-06-20",
    },
    "recovery_notice": {
        "doc_no": "揭医保追〔2026〕1号",
        "institution_name": "揭阳市仁和门诊部",
        "institution_code": "H44520200009",
        "check_no": "3",
        "file_name": "claims.csv",
        "span": "2026年10月1日至2026年10月31日",
        "line_count": "2",
        "recover_total": "300.50",
        "emergency_count": "1",
        "unmaintained": "是",
        "lines": [
            {
                "name": "张三",
                "person_code": "D445202000001",
                "service_date": "2026-10-09",
                "claim_id": "C1",
                "amount": "300.50",
                "reason": "暂停期内结算",
            }
        ],
        "issue_date": "2026-11-20",
    },
}
# Strings that must appear (whitespace removed) in the filled and the blank print of each form.
FILLED: dict[str, list[str]] = {
    "annex1": [
        "定点医药机构相关人员承诺书",
        "本人张三，身份证号码445202199001011234，医保代码D445202000001",
        "（国家医疗保障局令第3号）等法律法规",
        "若违反上述承诺，自愿接受处理。",
        "2026年1月5日",
    ],
    "annex2": [
        "登记备案表",
        "445202199001011234",
        "1990年1月",
        "☑男☐女",
        "☐正常☑暂停☐终止",
        "☑是☐否",
        "H44520200001",
        "主治医师",
    ],
    "annex3": [
        "揭医保记〔2026〕12号",
        "揭阳市榕城区人民医院",
        "445202199001011234",
        "D445202000001",
        "1.2026年3月5日，冒名结算（主要责任）",
        "2.同一年度内重复发生同一违规行为",
        "本次记分7分，本年度累计记分9分。",
        "☐1.予以提醒谈话一次",
        "☑2.予以暂停结算资格3个月",
        "暂停时间自2026年3月15日起至2026年6月14日止",
        "☐3.予以终止结算资格",
        "日期：2026年3月13日",
        "10个工作日内",
        "各执一份",
    ],
    "annex4": [
        "记分修复申请书",
        "揭医保记〔2026〕12号",
        "已参加医保政策培训并考试合格。",
        "定点医药机构意见：",
    ],
    "annex5": ["陈述申辩书", "陈述申辩内容：（可附相关佐证材料）", "本人当日在外院进修，未参与该次结算。"],
    "annex6": [
        "医保支付资格恢复申请书",
        "冒名结算",
        "自2026年3月15日起至2026年6月14日止",
        "申请日期：2026年5月25日",
        "本申请书经办机构留存一份",
    ],
    "annex7": [
        "揭阳市卫生健康局：",
        "发现张三存在冒名结算行为，记分7分。",
        "附件：抄告材料清单",
        "1.记分情况表",
        "揭阳市医疗保障局",
        "（签章）",
        "2026年3月20日",
        "注：本抄告书",
        "抄告材料清单",
    ],
    "supplement": [
        "揭阳市医疗保障事业管理中心",
        "揭医保告〔2026〕3号",
        "揭阳市仁和门诊部：",
        "2026年3月2日",
        "1.与医疗保障有关的信息系统相关材料",
        "2026年3月31日前",
        "2026年3月6日",
    ],
    "refusal": ["不予受理定点申请通知书", "1.以医疗美容等非基本医疗服务为主要执业范围", "决定不予受理"],
    "evaluation_checks": [
        "附件",
        "评估核查事项",
        "申请机构：揭阳市仁和门诊部",
        "是否已正式运营满3个月？",
        "zhangli于2026-11-20核实",
    ],
    "evaluation": [
        "☐合格☑不合格",
        "1.信息系统不具备直接联网结算条件",
        "1.完成医保信息系统接口改造",
        "整改3个月后可再次组织评估",
        "1年内不得再次申请",
    ],
    "publicity": [
        "40家医药机构",
        "公示期自2026年6月1日起至2026年6月9日止（7个工作日）",
        "揭医保公〔2026〕3号",
        "揭阳市第1社区卫生服务中心",
        "H44520200040",
        "揭阳市榕城区东兴路40号",
    ],
    "agreement_suspension": [
        "中止医保协议通知书",
        "H44520200009",
        "JY2026-0009",
        "自2026年4月1日起至2026年6月30日止",
    ],
    "recovery_notice": [
        "追回医保基金通知书",
        "揭医保追〔2026〕1号",
        "应追回医保基金300.50元",
        "第四十六条",
        "D445202000001",
    ],
    "agreement_termination": ["解除医保协议通知书", "自2026年7月1日起解除", "医疗保障基金不再结算"],
    "guidance_extension": [
        "政策辅导期延长通知书",
        "延长6个月",
        "自2026年7月1日起至2026年12月31日止",
        "不予续签医保协议",
    ],
}
BLANK: dict[str, list[str]] = {
    "annex4": [
        "记分修复申请书",
        "定点医药机构名称：",
        "记分修复申请：（可附相关证明材料）",
        "医疗保障经办机构意见：",
    ],
    "annex5": ["陈述申辩书", "处理通知书文号：", "陈述申辩内容：（可附相关佐证材料）", "签字："],
    "annex6": [
        "医保支付资格恢复申请书",
        "相关人员姓名",
        "认定违规行为文书号",
        "暂停/终止结算时间",
        "本人声明，已达到暂停/终止医保结算时长",
        "申请日期：",
    ],
    "annex3": ["本次记分", "☐1.予以提醒谈话一次", "☐2.予以暂停结算资格", "☐3.予以终止结算资格"],
}


def extract(data: bytes) -> list[str]:
    """Text of each page with all whitespace (including no-break spaces) removed."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def test_every_form_has_a_sample_and_expected_strings():
    assert set(pdf.form_ids()) == set(SAMPLES) == set(FILLED)


@pytest.mark.parametrize("form_id", sorted(FILLED))
def test_filled_form_prints_its_key_strings(fonts, form_id):
    text = "".join(extract(pdf.render_form(form_id, SAMPLES[form_id], fonts, office=OFFICE)))
    missing = [s for s in FILLED[form_id] if s not in text]
    assert not missing, f"{form_id}: {missing}\n{text}"


@pytest.mark.parametrize("form_id", sorted(FILLED))
def test_blank_form_prints_labels_and_no_sample_data(fonts, form_id):
    text = "".join(extract(pdf.render_form(form_id, SAMPLES[form_id], fonts, blank=True)))
    assert pdf.form_title(form_id).replace("\n", "")[:6] in text
    assert "445202199001011234" not in text and "张三" not in text
    assert not [s for s in BLANK.get(form_id, []) if s not in text]


def test_annex3_reminder_ticks_only_the_first_option(fonts):
    data = {**SAMPLES["annex3"], "disposition": "reminder"}
    text = extract(pdf.render_form("annex3", data, fonts))[0]
    assert "☑1.予以提醒谈话一次" in text and "☐2.予以暂停" in text and "☐3.予以终止" in text


def test_annex3_termination_prints_years_and_period(fonts):
    data = {
        **SAMPLES["annex3"],
        "disposition": "termination",
        "terminate_years": 1,
        "year_total": 12,
        "terminate_start": "2026-11-30",
        "terminate_end": "2027-11-29",
    }
    text = extract(pdf.render_form("annex3", data, fonts))[0]
    assert "☑3.予以终止结算资格1年，终止时间自2026年11月30日起至2027年11月29日止" in text


def test_annex3_fits_on_one_a4_page_with_page_number(fonts):
    data = pdf.render_form("annex3", SAMPLES["annex3"], fonts, office=OFFICE)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    assert "—1—" in extract(data)[0]


def test_id_number_in_running_text_is_never_split_across_lines(fonts):
    for name in ("张三", "欧阳某某某", "张"):
        raw = pypdf.PdfReader(io.BytesIO(pdf.render_form("annex1", {**PERSON, "name": name}, fonts)))
        assert "445202199001011234" in raw.pages[0].extract_text().replace(" ", "")


def test_publicity_list_breaks_across_pages_with_repeated_header(fonts):
    pages = extract(pdf.render_form("publicity", SAMPLES["publicity"], fonts, office=OFFICE))
    assert len(pages) >= 2
    assert all("医药机构代码" in p and "机构名称" in p for p in pages[:2])
    assert "—2—" in pages[1]


def test_batch_restarts_page_numbers_and_reports_progress(fonts):
    seen: list[tuple[int, int]] = []
    items = [("annex3", SAMPLES["annex3"], 2), ("publicity", SAMPLES["publicity"], 1), ("supplement", {}, 1)]
    pages = extract(pdf.render_batch(items, fonts, progress=lambda i, n: seen.append((i, n)), office=OFFICE))
    # the 公示 (an announcement) numbers its first page; the 补正告知书's 信函格式 first page shows no number
    assert ["—1—" in p for p in pages[:3]] == [True, True, True]
    assert "—2—" in pages[3] and "补正" in pages[-1] and "—" not in pages[-1].replace("——", "")
    assert seen[-1] == (4, 4) and (1, 4) in seen and (3, 4) in seen


def test_batch_cancelled_between_documents_raises_cancelled(fonts):
    calls = iter([False, False, True])
    with pytest.raises(pdf.Cancelled):
        pdf.render_batch([("annex3", SAMPLES["annex3"], 5)], fonts, cancelled=lambda: next(calls, True))


def test_unknown_form_id_is_refused():
    with pytest.raises(DomainError, match="annex99"):
        pdf.form_title("annex99")


def test_bad_date_value_is_refused_in_chinese(fonts):
    with pytest.raises(ValueError, match="日期“2026/13/40”格式不对"):
        pdf.render_form("annex3", {**SAMPLES["annex3"], "issue_date": "2026/13/40"}, fonts)


def test_a_batch_starts_on_the_template_of_its_first_printed_document(fonts):
    """A letter given with no copies does not lend its 信函格式 first page to the annex printed first."""
    pages = extract(pdf.render_batch([("supplement", {}, 0), ("annex3", SAMPLES["annex3"], 1)], fonts, office=OFFICE))
    assert "—1—" in pages[0]

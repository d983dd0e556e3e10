"""The paragraphs administrative papers print between and after their fields.

Legal bases ("Căn cứ Nghị định số 01/2021/NĐ-CP ngày 04 tháng 01 năm 2021 ...") carry dates of
their own in the very shape of a signing date, and legal notes run on for lines right after a
value: both are what a field locator must not take for a value. The instruments cited are real
laws and decrees, with their real numbers and dates.
"""

from __future__ import annotations

import random

_CITATIONS: dict[str, tuple[str, ...]] = {
    "one_stop": (
        "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế "
        "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
        "Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục "
        "hành chính trên môi trường điện tử",
    ),
    "enterprise": (
        "Luật Doanh nghiệp số 59/2020/QH14 ngày 17 tháng 6 năm 2020",
        "Nghị định số 01/2021/NĐ-CP ngày 04 tháng 01 năm 2021 của Chính phủ về đăng ký doanh "
        "nghiệp",
    ),
    "civil_status": (
        "Luật Hộ tịch số 60/2014/QH13 ngày 20 tháng 11 năm 2014",
        "Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết "
        "một số điều và biện pháp thi hành Luật Hộ tịch",
    ),
    "residence": (
        "Luật Cư trú số 68/2020/QH14 ngày 13 tháng 11 năm 2020",
        "Nghị định số 62/2021/NĐ-CP ngày 29 tháng 6 năm 2021 của Chính phủ quy định chi tiết một "
        "số điều của Luật Cư trú",
    ),
    "identity": ("Luật Căn cước số 26/2023/QH15 ngày 27 tháng 11 năm 2023",),
    "land": (
        "Luật Đất đai số 45/2013/QH13 ngày 29 tháng 11 năm 2013",
        "Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Đất đai",
    ),
    "construction": (
        "Luật Xây dựng số 50/2014/QH13 ngày 18 tháng 6 năm 2014",
        "Nghị định số 15/2021/NĐ-CP ngày 03 tháng 3 năm 2021 của Chính phủ quy định chi tiết một "
        "số nội dung về quản lý dự án đầu tư xây dựng",
    ),
}
SECTORS: tuple[str, ...] = tuple(_CITATIONS)

_NOTES = (
    "Người đề nghị chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác và trung thực "
    "của nội dung kê khai và các giấy tờ kèm theo.",
    "Hồ sơ được tiếp nhận và trả kết quả tại Bộ phận Một cửa; thời hạn giải quyết được tính kể "
    "từ ngày nhận đủ hồ sơ hợp lệ theo quy định.",
    "Trường hợp thông tin kê khai không chính xác, cơ quan có thẩm quyền có quyền từ chối giải "
    "quyết và hướng dẫn người đề nghị bổ sung, hoàn thiện hồ sơ.",
    "Thông tin cá nhân được khai thác, sử dụng theo quy định về bảo vệ dữ liệu cá nhân và chỉ "
    "dùng cho việc giải quyết thủ tục hành chính.",
)


def legal_basis(rng: random.Random, sector: str, count: int = 2) -> list[str]:
    """``count`` "Căn cứ ...;" paragraphs: the sector's own instruments, then the one-stop ones."""
    if sector not in _CITATIONS:
        raise ValueError(f"unknown sector {sector!r}; expected one of {SECTORS}")
    pool = list(_CITATIONS[sector]) + rng.sample(_CITATIONS["one_stop"], 2)
    return [f"Căn cứ {citation};" for citation in pool[:count]]


def legal_note(rng: random.Random) -> str:
    """One of the notes forms print under their fields or at their foot."""
    return rng.choice(_NOTES)

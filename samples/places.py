"""Provinces, districts, wards and streets that the sample documents draw addresses from.

Real names (before the 2025 merger of provinces) make the samples look like the scans the service
receives, and the codes tie documents together the way the real systems do: the identity card
number starts with the province code of birth registration, a receipt code carries the province
("H56" for Khánh Hòa) and a tax code starts with the tax department's prefix. The lists are a
sample, not a gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    name: str  # as printed in an address: "Quận 1", "huyện Nghi Lộc", "thành phố Vinh"
    wards: tuple[str, ...]  # "phường Bến Thành", "xã Nghi Phong"
    urban: bool = True  # urban addresses have house numbers and streets, rural ones hamlets


@dataclass(frozen=True)
class Province:
    name: str  # "Hà Nội"
    printed: str  # last part of an address: "TP. Hà Nội", "tỉnh Nghệ An"
    formal: str  # in an agency's name: "thành phố Hà Nội", "tỉnh Nghệ An"
    code: str  # two-digit administrative code; the CCCD prefix is "0" + code
    tax_prefix: str  # first two digits of tax codes issued there
    districts: tuple[District, ...]
    streets: tuple[str, ...]
    hospital: str


_COMMON_STREETS = (
    "Lê Lợi",
    "Trần Phú",
    "Quang Trung",
    "Nguyễn Trãi",
    "Lê Duẩn",
    "Hùng Vương",
    "Lý Thường Kiệt",
    "Trần Hưng Đạo",
    "Nguyễn Văn Cừ",
    "Phan Đình Phùng",
)

PROVINCES: tuple[Province, ...] = (
    Province(
        "Hà Nội",
        "TP. Hà Nội",
        "thành phố Hà Nội",
        "01",
        "01",
        (
            District("quận Ba Đình", ("phường Điện Biên", "phường Kim Mã", "phường Ngọc Hà")),
            District("quận Hoàn Kiếm", ("phường Hàng Bạc", "phường Tràng Tiền")),
            District("quận Đống Đa", ("phường Láng Hạ", "phường Văn Miếu", "phường Ô Chợ Dừa")),
            District("quận Cầu Giấy", ("phường Dịch Vọng", "phường Nghĩa Đô")),
            District("huyện Gia Lâm", ("xã Bát Tràng", "xã Kim Lan"), urban=False),
        ),
        ("Láng Hạ", "Nguyễn Chí Thanh", "Xuân Thủy", "Kim Mã", "Giải Phóng", "Tôn Đức Thắng"),
        "Bệnh viện Phụ sản Hà Nội",
    ),
    Province(
        "Hồ Chí Minh",
        "TP. Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "79",
        "03",
        (
            District("Quận 1", ("phường Bến Thành", "phường Bến Nghé", "phường Đa Kao")),
            District("Quận 3", ("phường Võ Thị Sáu", "Phường 9")),
            District("quận Bình Thạnh", ("Phường 25", "Phường 17")),
            District("quận Tân Bình", ("Phường 2", "Phường 4")),
            District("thành phố Thủ Đức", ("phường Thảo Điền", "phường Linh Trung")),
            District("huyện Củ Chi", ("xã Tân Thông Hội", "xã Phước Vĩnh An"), urban=False),
        ),
        ("Nguyễn Huệ", "Pasteur", "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Võ Văn Tần"),
        "Bệnh viện Từ Dũ",
    ),
    Province(
        "Hải Phòng",
        "TP. Hải Phòng",
        "thành phố Hải Phòng",
        "31",
        "02",
        (
            District("quận Hồng Bàng", ("phường Hoàng Văn Thụ", "phường Minh Khai")),
            District("quận Lê Chân", ("phường An Biên", "phường Dư Hàng")),
            District("quận Ngô Quyền", ("phường Lạch Tray", "phường Máy Tơ")),
            District("huyện Thủy Nguyên", ("xã Lưu Kiếm", "xã Minh Tân"), urban=False),
        ),
        ("Lạch Tray", "Điện Biên Phủ", "Tô Hiệu", "Lê Thánh Tông"),
        "Bệnh viện Phụ sản Hải Phòng",
    ),
    Province(
        "Đà Nẵng",
        "TP. Đà Nẵng",
        "thành phố Đà Nẵng",
        "48",
        "04",
        (
            District("quận Hải Châu", ("phường Thạch Thang", "phường Hòa Cường Bắc")),
            District("quận Thanh Khê", ("phường Tân Chính", "phường Chính Gián")),
            District("quận Sơn Trà", ("phường An Hải Bắc", "phường Mân Thái")),
            District("huyện Hòa Vang", ("xã Hòa Phong", "xã Hòa Tiến"), urban=False),
        ),
        ("Bạch Đằng", "Nguyễn Văn Linh", "Hoàng Diệu", "Ngô Quyền"),
        "Bệnh viện Phụ sản - Nhi Đà Nẵng",
    ),
    Province(
        "Cần Thơ",
        "TP. Cần Thơ",
        "thành phố Cần Thơ",
        "92",
        "18",
        (
            District("quận Ninh Kiều", ("phường Tân An", "phường Xuân Khánh", "phường An Hòa")),
            District("quận Cái Răng", ("phường Lê Bình", "phường Hưng Phú")),
            District("huyện Phong Điền", ("xã Nhơn Ái", "xã Mỹ Khánh"), urban=False),
        ),
        ("Mậu Thân", "30 Tháng 4", "Nguyễn Văn Cừ", "Hai Bà Trưng"),
        "Bệnh viện Phụ sản thành phố Cần Thơ",
    ),
    Province(
        "Nghệ An",
        "tỉnh Nghệ An",
        "tỉnh Nghệ An",
        "40",
        "29",
        (
            District("thành phố Vinh", ("phường Hưng Bình", "phường Quang Trung", "phường Lê Mao")),
            District("huyện Nghi Lộc", ("xã Nghi Phong", "xã Nghi Trung"), urban=False),
            District("huyện Nam Đàn", ("xã Kim Liên", "xã Nam Giang"), urban=False),
        ),
        ("Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Phan Bội Châu"),
        "Bệnh viện Sản Nhi Nghệ An",
    ),
    Province(
        "Khánh Hòa",
        "tỉnh Khánh Hòa",
        "tỉnh Khánh Hòa",
        "56",
        "42",
        (
            District(
                "thành phố Nha Trang", ("phường Lộc Thọ", "phường Vĩnh Hải", "phường Tân Lập")
            ),
            District("thành phố Cam Ranh", ("phường Cam Lộc", "phường Cam Nghĩa")),
            District("huyện Diên Khánh", ("xã Diên An", "xã Diên Phú"), urban=False),
        ),
        ("Trần Phú", "Yersin", "Thống Nhất", "Lê Thánh Tôn"),
        "Bệnh viện Đa khoa tỉnh Khánh Hòa",
    ),
    Province(
        "Thanh Hóa",
        "tỉnh Thanh Hóa",
        "tỉnh Thanh Hóa",
        "38",
        "28",
        (
            District(
                "thành phố Thanh Hóa", ("phường Điện Biên", "phường Ba Đình", "phường Đông Vệ")
            ),
            District("huyện Hoằng Hóa", ("xã Hoằng Đạo", "xã Hoằng Quỳ"), urban=False),
        ),
        ("Lê Hoàn", "Bà Triệu", "Hạc Thành"),
        "Bệnh viện Phụ sản Thanh Hóa",
    ),
    Province(
        "Bình Dương",
        "tỉnh Bình Dương",
        "tỉnh Bình Dương",
        "74",
        "37",
        (
            District("thành phố Thủ Dầu Một", ("phường Phú Cường", "phường Hiệp Thành")),
            District("thành phố Dĩ An", ("phường Dĩ An", "phường Đông Hòa")),
            District("huyện Bàu Bàng", ("xã Lai Uyên", "xã Long Nguyên"), urban=False),
        ),
        ("Yersin", "Cách Mạng Tháng Tám", "Ngô Quyền"),
        "Bệnh viện Đa khoa tỉnh Bình Dương",
    ),
    Province(
        "Quảng Ninh",
        "tỉnh Quảng Ninh",
        "tỉnh Quảng Ninh",
        "22",
        "57",
        (
            District(
                "thành phố Hạ Long", ("phường Bạch Đằng", "phường Hồng Hải", "phường Hà Khẩu")
            ),
            District("thành phố Cẩm Phả", ("phường Cẩm Thủy", "phường Cẩm Trung")),
            District("huyện Vân Đồn", ("xã Hạ Long", "xã Đông Xá"), urban=False),
        ),
        ("Hạ Long", "Nguyễn Văn Cừ", "Trần Quốc Nghiễn"),
        "Bệnh viện Sản Nhi Quảng Ninh",
    ),
)


def province_by_code(code: str) -> Province:
    """The province with a two-digit administrative code; ValueError for codes not sampled."""
    for province in PROVINCES:
        if province.code == code:
            return province
    raise ValueError(f"no sample province with code {code!r}")


def streets_of(province: Province) -> tuple[str, ...]:
    """Streets an address in ``province`` may be on: its own and a few found everywhere."""
    return province.streets + _COMMON_STREETS

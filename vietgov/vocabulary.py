"""Words of Vietnamese party and state names: abbreviations and their expansions, and standard casing.

Casing follows Decree 30/2020/ND-CP (appendix II) and the Party's document rules: the first
syllable of an organ's type and of each field it works in is capitalised
(`Ủy ban nhân dân`, `Bộ Giáo dục và Đào tạo`, `Ban Thường vụ Tỉnh ủy`), the rest is not;
a level word stays lower case before a name (`tỉnh Bắc Giang`) and is capitalised before a
number or the name of a person (`Quận 1`, `Thành phố Hồ Chí Minh`). Tone marks are spelled as
in current official documents (`Ủy`, `Hòa`; vietgov.tones.to_modern_tones).
"""
from __future__ import annotations

# Ho Chi Minh City in every spelling that is not already the full name
HCMC = "Thành phố Hồ Chí Minh"

# abbreviations of unit words, as whole tokens (case-sensitive); spelled-out forms in `UNIT_PHRASES` casing
UNIT_ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "UB": "Ủy ban",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "UBKTTƯ": "Ủy ban Kiểm tra Trung ương",
    "UBKT": "Ủy ban Kiểm tra",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "BCSĐ": "Ban cán sự đảng",
    "TƯ": "Trung ương",
    "T.Ư": "Trung ương",
    "TW": "Trung ương",
    "T.W": "Trung ương",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện Kiểm sát nhân dân",
    "VKS": "Viện Kiểm sát",
    "HĐQT": "Hội đồng quản trị",
    "HĐTV": "Hội đồng thành viên",
    "BKS": "Ban Kiểm soát",
    "TNHH": "Trách nhiệm hữu hạn",
    "MTV": "Một thành viên",
    "CTCP": "Công ty Cổ phần",
    "TMCP": "Thương mại Cổ phần",
    "HTX": "Hợp tác xã",
    "DV": "Dịch vụ",
    "Cty": "Công ty",
    "CTY": "Công ty",
    "cty": "Công ty",
    "LĐLĐ": "Liên đoàn Lao động",
    "HLHPN": "Hội Liên hiệp Phụ nữ",
    "LHPN": "Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh",
    "ĐBQH": "đại biểu Quốc hội",
    "BCHQS": "Bộ Chỉ huy Quân sự",
    "CHQS": "Chỉ huy Quân sự",
    "BĐBP": "Bộ đội Biên phòng",
    "QĐND": "Quân đội nhân dân",
    "CAND": "Công an nhân dân",
    "CSĐT": "Cảnh sát điều tra",
    "CSGT": "Cảnh sát giao thông",
    "CSHS": "Cảnh sát hình sự",
    "CSKT": "Cảnh sát kinh tế",
    "PCCC": "Phòng cháy chữa cháy",
    "TNCS": "Thanh niên Cộng sản",
    "THPT": "Trung học phổ thông",
    "THCS": "Trung học cơ sở",
    "ĐHQG": "Đại học Quốc gia",
    "ĐH": "Đại học",
    "BQL": "Ban Quản lý",
    "QLDA": "Quản lý dự án",
    "TTCP": "Thanh tra Chính phủ",
    "KTNN": "Kiểm toán Nhà nước",
    "CHXHCN": "Cộng hòa xã hội chủ nghĩa",
    "LB": "Liên bang",
    "GTVT": "Giao thông vận tải",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "PTNT": "Phát triển nông thôn",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "KHĐT": "Kế hoạch và Đầu tư",
    "KH-ĐT": "Kế hoạch và Đầu tư",
    "KH&CN": "Khoa học và Công nghệ",
    "KHCN": "Khoa học và Công nghệ",
    "KH-CN": "Khoa học và Công nghệ",
    "TT&TT": "Thông tin và Truyền thông",
    "TTTT": "Thông tin và Truyền thông",
    "VH-TT&DL": "Văn hóa, Thể thao và Du lịch",
    "VHTT&DL": "Văn hóa, Thể thao và Du lịch",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GD-ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "TN&MT": "Tài nguyên và Môi trường",
    "TN-MT": "Tài nguyên và Môi trường",
    "TNMT": "Tài nguyên và Môi trường",
    "KHXH&NV": "Khoa học xã hội và Nhân văn",
}

# abbreviations of titles, as whole tokens
TITLE_ABBREVIATIONS = {
    "TBT": "Tổng Bí thư",
    "PBT": "Phó Bí thư",
    "BT": "Bí thư",
    "PCT": "Phó Chủ tịch",
    "CT": "Chủ tịch",
    "PTGĐ": "Phó Tổng Giám đốc",
    "TGĐ": "Tổng Giám đốc",
    "PGĐ": "Phó Giám đốc",
    "GĐ": "Giám đốc",
    "ĐBQH": "Đại biểu Quốc hội",
    "UVBCT": "Ủy viên Bộ Chính trị",
    "UVTƯ": "Ủy viên Trung ương Đảng",
    "UVTW": "Ủy viên Trung ương Đảng",
    "UV": "Ủy viên",
    "TUV": "Tỉnh ủy viên",
    "CHT": "Chỉ huy trưởng",
}

# the X-ủy party committees: the level they stand for
COMMITTEES = {"Tỉnh ủy": "tỉnh", "Thành ủy": "thành phố", "Quận ủy": "quận", "Huyện ủy": "huyện", "Thị ủy": "thị xã"}

# organs that exist at every level and are named with the level's unit (`Ủy ban nhân dân tỉnh X`):
# a province named right after one takes its level word, and a bare one is completed from the article
LOCAL_ORGANS = (
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Thường trực Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban Mặt trận Tổ quốc", "Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Mặt trận", "Đảng bộ", "Đảng ủy",
    "Ban Chấp hành Đảng bộ", "Công an", "Thanh tra", "Tòa án nhân dân", "Viện Kiểm sát nhân dân",
    "Bộ Chỉ huy Quân sự", "Ban Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng", "Đoàn đại biểu Quốc hội",
    "Liên đoàn Lao động", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Đoàn Thanh niên",
    "Thành đoàn", "Tỉnh đoàn", "Ủy ban bầu cử", "Văn phòng Ủy ban nhân dân", "Văn phòng Hội đồng nhân dân",
    "Văn phòng Đoàn đại biểu Quốc hội", "Kho bạc Nhà nước", "Cục Thuế", "Hội Chữ thập đỏ",
)
# of those, the ones a bare mention may be completed without a level word (`UBND` -> the one UBND of the article)
BARE_LOCAL_ORGANS = ("Ủy ban nhân dân", "Hội đồng nhân dân", "Thường trực Hội đồng nhân dân",
                     "Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc", "Đảng ủy", "Đảng bộ",
                     "Đoàn đại biểu Quốc hội", "Ủy ban bầu cử")

# heads of organisations: a field right after one is capitalised (`Sở Giáo dục`, `Bộ Y tế`, `Ban Tổ chức`)
HEADS = ("Bộ", "Sở", "Ban", "Ủy ban", "Phòng", "Cục", "Tổng cục", "Vụ", "Viện", "Học viện", "Trung tâm",
         "Chi cục", "Hội đồng", "Văn phòng", "Hội", "Liên hiệp", "Liên đoàn", "Tòa án", "Trường",
         "Tập đoàn", "Tổng công ty", "Công ty", "Ngân hàng", "Quỹ", "Tiểu ban", "Hiệp hội", "Đại học", "Trạm",
         "Bệnh viện", "Khoa", "Nhà máy", "Xí nghiệp", "Chi nhánh", "Phân xưởng", "Liên doanh", "Cơ quan",
         "Liên minh", "Hợp tác xã")
FIELDS = (
    "Công an", "Quốc phòng", "Ngoại giao", "Nội vụ", "Tư pháp", "Tài chính", "Công Thương", "Xây dựng", "Y tế",
    "Giáo dục", "Đào tạo", "Khoa học", "Công nghệ", "Văn hóa", "Thể thao", "Du lịch", "Nông nghiệp",
    "Môi trường", "Dân tộc", "Tôn giáo", "Kế hoạch", "Đầu tư", "Giao thông vận tải", "Giao thông", "Thông tin",
    "Truyền thông", "Lao động", "Thương binh", "Xã hội", "Tài nguyên", "Phát triển nông thôn", "Ngoại vụ",
    "Tổ chức", "Tuyên giáo", "Dân vận", "Nội chính", "Kinh tế", "Đối ngoại", "Kiểm tra", "Pháp chế",
    "Pháp luật", "Ngân sách", "Đô thị", "Quản lý", "Thường vụ", "Chấp hành", "Chỉ đạo", "Tổ chức cán bộ",
    "Tham mưu", "Chính trị", "Hậu cần", "Kỹ thuật", "Thanh tra", "Thuế", "Hải quan", "Kiểm sát", "Nhân dân",
    "Nông dân", "Phụ nữ", "Cựu chiến binh", "Chữ thập đỏ", "Liên hiệp Phụ nữ", "Thanh niên", "Quân sự",
    "Dầu khí", "Điện lực", "Tổng hợp", "Dịch vụ", "Thương mại", "Cổ phần", "Cổ phần Thương mại", "Khoa giáo",
    "Văn xã",
)

# whole names and parts of names in their standard casing; matched case-insensitively, longest first
UNIT_PHRASES = (
    # party
    "Đảng Cộng sản Việt Nam", "Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương Đảng", "Ban Chấp hành",
    "Trung ương Đảng", "Trung ương", "Bộ Chính trị", "Ban Bí thư", "Ban Thường vụ", "Thường vụ", "Thường trực",
    "Ủy ban Kiểm tra", "Ban Tổ chức", "Ban Tuyên giáo", "Ban Dân vận", "Ban Tuyên giáo và Dân vận",
    "Ban Nội chính", "Ban Kinh tế", "Ban Đối ngoại", "Ban Chính sách, Chiến lược", "Văn phòng", "Đảng bộ",
    "Đảng ủy", "Đảng ủy Khối", "Đảng ủy Khối Doanh nghiệp Trung ương",
    "Đảng ủy Khối các cơ quan Trung ương", "Đảng bộ Khối Doanh nghiệp Trung ương", "Đảng đoàn", "Ban cán sự đảng", "Chi bộ", "Chi ủy", "Quân ủy Trung ương",
    "Ban Chỉ đạo", "Ban Chỉ đạo Tây Nam Bộ", "Tây Nam Bộ", "Ban Bảo vệ sức khỏe Trung ương", "Đảng",
    *COMMITTEES,
    # state
    "Quốc hội", "Ủy ban Thường vụ Quốc hội", "Hội đồng Dân tộc", "Ủy ban Pháp luật", "Ủy ban Tư pháp",
    "Ủy ban Kinh tế", "Ủy ban Tài chính, Ngân sách", "Ủy ban Kinh tế và Tài chính", "Ủy ban Quốc phòng và An ninh",
    "Ủy ban Quốc phòng, An ninh và Đối ngoại", "Ủy ban Văn hóa, Giáo dục", "Ủy ban Văn hóa và Xã hội",
    "Ủy ban Xã hội", "Ủy ban Đối ngoại", "Ủy ban Khoa học, Công nghệ và Môi trường", "Ban Công tác đại biểu",
    "Chính phủ", "Văn phòng Chính phủ", "Chủ tịch nước", "Văn phòng Chủ tịch nước", "Thanh tra Chính phủ",
    "Kiểm toán Nhà nước", "Ngân hàng Nhà nước", "Kho bạc Nhà nước", "Tòa án nhân dân",
    "Tòa án nhân dân tối cao", "Tòa án nhân dân cấp cao", "Tòa án Quân sự", "Viện Kiểm sát nhân dân",
    "Viện Kiểm sát nhân dân tối cao", "Viện Kiểm sát Quân sự", "Ủy ban nhân dân", "Hội đồng nhân dân",
    "Đoàn đại biểu Quốc hội", "Tổ đại biểu Quốc hội", "Ban Dân tộc", "Ban Pháp chế", "Ban Kinh tế - Ngân sách",
    "Ban Văn hóa - Xã hội", "Ban Đô thị", "Ủy ban bầu cử", "Hội đồng bầu cử quốc gia", "Hội đồng quản trị",
    "Hội đồng thành viên", "Ban Kiểm soát", "Ban Giám đốc", "Ban Giám hiệu", "Ban Quản lý", "Ban Quản lý dự án",
    "Cơ quan Cảnh sát điều tra", "Cơ quan điều tra", "Cảnh sát điều tra", "Cảnh sát giao thông",
    "Cảnh sát hình sự", "Cảnh sát kinh tế", "Bộ Tư lệnh", "Bộ Chỉ huy Quân sự", "Ban Chỉ huy Quân sự",
    "Chỉ huy Quân sự", "Bộ đội Biên phòng", "Bộ Chỉ huy Bộ đội Biên phòng", "Quân khu", "Quân đội nhân dân",
    "Công an nhân dân", "Phòng cháy chữa cháy",
    # ministries and their fields
    "Bộ Giáo dục và Đào tạo", "Giáo dục và Đào tạo", "Khoa học và Công nghệ", "Văn hóa, Thể thao và Du lịch",
    "Nông nghiệp và Môi trường", "Dân tộc và Tôn giáo", "Kế hoạch và Đầu tư", "Thông tin và Truyền thông",
    "Lao động - Thương binh và Xã hội", "Tài nguyên và Môi trường", "Nông nghiệp và Phát triển nông thôn",
    "Giao thông vận tải", "Công Thương", "Khoa học xã hội và Nhân văn",
    # front and mass organisations
    "Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Liên đoàn Lao động", "Tổng Liên đoàn Lao động Việt Nam",
    "Công đoàn", "Hội Liên hiệp Phụ nữ", "Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh",
    "Cựu chiến binh", "Đoàn Thanh niên", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Thanh niên Cộng sản",
    "Thành đoàn", "Tỉnh đoàn", "Quận đoàn", "Huyện đoàn", "Thị đoàn", "Phường đoàn", "Xã đoàn", "Hội Chữ thập đỏ", "Liên minh Hợp tác xã", "Liên minh Hợp tác xã Việt Nam",
    "Hợp tác xã",
    # heads of more than one word
    "Chi cục", "Tổng cục", "Học viện", "Trung tâm", "Hiệp hội", "Tiểu ban", "Liên hiệp", "Liên đoàn", "Hội đồng",
    "Ủy ban", "Tòa án", "Ngân hàng",
    # enterprises and schools
    "Công ty", "Tổng công ty", "Tập đoàn", "Công ty Cổ phần", "Cổ phần", "Trách nhiệm hữu hạn", "Một thành viên",
    "Thương mại Cổ phần", "Trung học phổ thông", "Trung học cơ sở", "Tiểu học", "Mầm non", "Đại học",
    "Đại học Quốc gia", "Thông tấn xã Việt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Cộng hòa xã hội chủ nghĩa", "Liên bang",
)

# titles and parts of titles in their standard casing
# titles that open with a word of TITLE_MODIFIERS below (marshal): no modifier there (`nguyên thủ` is not one:
# `nguyên Thủ tướng`)
MODIFIER_TITLES = ("Nguyên soái",)
TITLE_PHRASES = MODIFIER_TITLES + (
    "Tổng Bí thư", "Bí thư", "Phó Bí thư", "Bí thư Thứ nhất", "Thứ nhất", "Chủ tịch", "Phó Chủ tịch",
    "Chủ tịch nước", "Phó Chủ tịch nước", "Thủ tướng", "Phó Thủ tướng", "Bộ trưởng", "Thứ trưởng",
    "Chủ nhiệm", "Phó Chủ nhiệm", "Trưởng ban", "Phó Trưởng ban", "Trưởng", "Phó", "Giám đốc", "Phó Giám đốc",
    "Tổng Giám đốc", "Phó Tổng Giám đốc", "Chánh Văn phòng", "Phó Chánh Văn phòng", "Văn phòng", "Chánh án",
    "Phó Chánh án", "Viện trưởng", "Phó Viện trưởng", "Cục trưởng", "Phó Cục trưởng", "Vụ trưởng",
    "Phó Vụ trưởng", "Tổng cục trưởng", "Phó Tổng cục trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
    "Tổng Thanh tra", "Thanh tra", "Ủy viên", "Ủy viên Bộ Chính trị", "Ủy viên Trung ương Đảng",
    "Ủy viên Ban Chấp hành Trung ương Đảng", "Ủy viên Ban Thường vụ", "Bộ Chính trị", "Trung ương Đảng",
    "Trung ương", "Ban Chấp hành", "Ban Thường vụ", "Thường trực", "Thường vụ", "Đại biểu", "Đại biểu Quốc hội",
    "Quốc hội", "Tỉnh ủy viên", "Thành ủy viên", "Quận ủy viên", "Huyện ủy viên", "Thị ủy viên", "Đảng ủy viên",
    "Chỉ huy trưởng", "Chính ủy", "Phó Chính ủy", "Tư lệnh", "Phó Tư lệnh", "Tham mưu trưởng", "Trưởng phòng",
    "Phó Trưởng phòng", "Trưởng Công an", "Phó Trưởng Công an", "Đại tướng", "Thượng tướng", "Trung tướng",
    "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy",
    "Thiếu úy", "Hiệu trưởng", "Phó Hiệu trưởng", "Tổng Thư ký", "Thư ký", "Kiểm sát viên", "Thẩm phán",
    "Điều tra viên", "Đại sứ", "Tổng Lãnh sự", "Quyền", "Chủ tịch Hội đồng quản trị", "Hội đồng quản trị",
    "Chủ tịch Hội đồng thành viên", "Hội đồng thành viên", "Người phát ngôn", "Chánh", "Ủy ban Kiểm tra",
    "Chủ tịch Ủy ban nhân dân", "Ủy ban nhân dân", "Hội đồng nhân dân", "Mặt trận Tổ quốc",
)
# modifiers written lower case in front of a title (`nguyên Bí thư`, `tân Chủ tịch`)
TITLE_MODIFIERS = ("nguyên", "tân", "cựu")
# academic ranks and degrees, alone or joined (`GS.TS`): no TITLE by the spec, no post in the positions database
ACADEMIC_RANKS = ("giáo sư", "phó giáo sư", "tiến sĩ", "tiến sỹ", "thạc sĩ", "thạc sỹ", "viện sĩ",
                  "gs", "pgs", "ts", "ths", "tskh")
# forms of address before a name and the sex they tell (None: either)
HONORIFICS = {"ông": "m", "anh": "m", "chú": "m", "bác": None, "bà": "f", "chị": "f", "cô": "f", "em": None,
              "đồng chí": None, "cụ": None, "ngài": None, "thầy": "m"}

# boards of an organisation: an acronym in brackets after `Hội đồng thành viên Tập đoàn Dầu khí Việt Nam (PVN)`
# names the organisation, not its board
BOARDS = ("Hội đồng thành viên", "Hội đồng quản trị", "Ban Kiểm soát", "Ban Giám đốc", "Ban Tổng Giám đốc",
          "Ban Điều hành", "Ban lãnh đạo", "Ban Lãnh đạo")

# countries and territories written before a foreign official's name (`Ngoại trưởng Mỹ John Kerry`): a name span
# that starts with one of them has taken the place in (`Trung Quốc Vương Nghị`)
FOREIGN_PLACES = (
    "Trung Quốc", "Mỹ", "Hoa Kỳ", "Nga", "Liên bang Nga", "Nhật", "Nhật Bản", "Hàn Quốc", "Triều Tiên", "Ukraine",
    "Ukraina", "Hong Kong", "Hồng Kông", "Đài Loan", "Pháp", "Đức", "Italy", "Ý", "Tây Ban Nha", "Bồ Đào Nha",
    "Australia", "Úc", "Canada", "Ấn Độ", "Pakistan", "Afghanistan", "Iran", "Iraq", "Syria", "Israel",
    "Palestine", "Thổ Nhĩ Kỳ", "Ai Cập", "Ả Rập Saudi", "Saudi Arabia", "Lào", "Campuchia", "Thái Lan", "Malaysia",
    "Singapore", "Indonesia", "Philippines", "Myanmar", "Brunei", "Mông Cổ", "Cuba", "Venezuela", "Brazil",
    "Argentina", "Mexico", "Ba Lan", "Hungary", "Séc", "Belarus", "Hy Lạp", "Thụy Điển", "Na Uy", "Phần Lan",
    "Đan Mạch", "Hà Lan", "Bỉ", "Thụy Sĩ", "Áo", "New Zealand", "Nam Phi", "Nigeria", "Kenya", "Libya",
    "Điện Kremlin", "Nhà Trắng", "Lầu Năm Góc", "Vatican", "EU", "NATO", "Liên Hợp Quốc", "LHQ", "ASEAN",
    "Gruzia", "Georgia", "Maldives", "Sri Lanka", "Bangladesh", "Nepal", "Bhutan", "Qatar", "UAE", "Kuwait", "Oman",
    "Yemen", "Li Băng", "Lebanon", "Bahrain", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Azerbaijan",
    "Armenia", "Romania", "Bulgaria", "Serbia", "Croatia", "Slovakia", "Slovenia", "Ireland", "Iceland", "Estonia",
    "Latvia", "Litva", "Lithuania", "Moldova", "Luxembourg", "Chile", "Peru", "Colombia", "Bolivia", "Ecuador",
    "Uruguay", "Paraguay", "Panama", "Ethiopia", "Algeria", "Maroc", "Morocco", "Tunisia", "Sudan", "Somalia",
    "Zimbabwe", "Angola", "Mozambique", "Tanzania", "Uganda", "Rwanda", "Ghana", "Senegal", "Đông Timor",
    "Timor Leste", "Papua New Guinea", "Đài Bắc",
    # capitals and cities whose mayors and governors the news names the same way (`Thị trưởng London Sadiq Khan`)
    "London", "Paris", "Berlin", "Washington", "New York", "Moscow", "Matxcơva", "Bắc Kinh", "Thượng Hải", "Tokyo",
    "Seoul", "Bình Nhưỡng", "Bangkok", "Viêng Chăn", "Vientiane", "Phnom Penh",
)
# news agencies and outlets, which the entity recognizer sometimes takes for a person (`Reuters`, `ISNA`)
NEWS_AGENCIES = (
    "Reuters", "AFP", "AP", "Bloomberg", "CNN", "BBC", "Xinhua", "Tân Hoa Xã", "TTXVN", "Yonhap", "Kyodo",
    "Sputnik", "TASS", "ISNA", "IRNA", "Al Jazeera", "CNBC", "NHK",
)

#!/usr/bin/env python3
"""Build the country vocabulary kept under ``analysis/reference/``.

Writes three tables (UTF-8, LF line ends, rows sorted):

* ``countries.csv``      one row per country/territory: iso3, iso2, iso_numeric,
                         name, fips, gwno
* ``country_names.csv``  every other spelling a provider or a journalist uses:
                         name, iso3, used_by, source, note
* ``fips_codes.csv``     FIPS 10-4 codes (as GDELT uses them) that are not the
                         code of a row in countries.csv: fips, iso3, name, note

Run it from anywhere::

    python -m venv /tmp/cvenv && /tmp/cvenv/bin/pip install pycountry==26.2.16
    /tmp/cvenv/bin/python data/scripts/build_country_tables.py          # write
    /tmp/cvenv/bin/python data/scripts/build_country_tables.py --check  # compare

Only this script needs pycountry (the ISO 3166-1 list and its names). The
project reads the CSVs, never pycountry. Everything else is kept by hand below,
each block with the public file it was copied from. ``analysis/reference/
README.md`` says how the ambiguous cases were decided.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import OrderedDict
from pathlib import Path

PYCOUNTRY_VERSION = "26.2.16"
ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "analysis" / "reference"

# Short source labels written into country_names.csv; the README gives each
# one's URL, commit and access date.
SRC_PYCOUNTRY = f"pycountry {PYCOUNTRY_VERSION}"
SRC_GEONAMES = "GeoNames countryInfo.txt (github.com/ali-hv/geobank-data countryInfo.txt)"
SRC_GDELT = "GDELT FIPS.country.txt (github.com/gl0bsec/get_gdelt_data report_generation/FIPS.country.txt)"
SRC_FACTBOOK = "CIA World Factbook Appendix D (github.com/factbook/factbook factbook-readers/data/codesxref.csv)"
SRC_OLD_FIPS = "FIPS 10-4 list of 1996 (github.com/gitpan/Geography-Country-FIPS lib/Geography/Country/FIPS.pm)"
SRC_GW = "Gleditsch-Ward iisystem.dat (github.com/andybega/states data/gwstates.rda)"
SRC_GED = "UCDP GED 23.1 sample (github.com/cran/uncertainUCDP data/ucdpged.rda)"
SRC_ACD = "UCDP/PRIO ACD 25.1 (github.com/Jenssah86/bit_academy_analytics_project UcdpPrioConflict_v25_1.csv)"
SRC_ACLED = "ACLED acledR (github.com/dtacled/acledR data/acled_countries.rda)"
SRC_COMMON = "news usage (hand-kept in data/scripts/build_country_tables.py)"

# ---------------------------------------------------------------------------
# 1. GeoNames countryInfo.txt: ISO3, FIPS, GeoNames name (every data row).
#    Copied 2026 from github.com/ali-hv/geobank-data at commit 817d9a1 (file
#    identical to its HEAD countryInfo.tsv of 2025-12-02). GeoNames keeps the
#    historical rows SCG (Serbia and Montenegro, FIPS YI) and ANT (Netherlands
#    Antilles, FIPS NT). Its FIPS column agrees, code for code, with the CIA
#    Factbook cross-reference below, except PSE (GeoNames: WE; Factbook: GZ
#    and WE) and UMI (no FIPS code in either).
# ---------------------------------------------------------------------------
GEONAMES = """
AND	AN	Andorra
ARE	AE	United Arab Emirates
AFG	AF	Afghanistan
ATG	AC	Antigua and Barbuda
AIA	AV	Anguilla
ALB	AL	Albania
ARM	AM	Armenia
AGO	AO	Angola
ATA	AY	Antarctica
ARG	AR	Argentina
ASM	AQ	American Samoa
AUT	AU	Austria
AUS	AS	Australia
ABW	AA	Aruba
ALA		Aland Islands
AZE	AJ	Azerbaijan
BIH	BK	Bosnia and Herzegovina
BRB	BB	Barbados
BGD	BG	Bangladesh
BEL	BE	Belgium
BFA	UV	Burkina Faso
BGR	BU	Bulgaria
BHR	BA	Bahrain
BDI	BY	Burundi
BEN	BN	Benin
BLM	TB	Saint Barthelemy
BMU	BD	Bermuda
BRN	BX	Brunei
BOL	BL	Bolivia
BES		Bonaire, Saint Eustatius and Saba
BRA	BR	Brazil
BHS	BF	Bahamas
BTN	BT	Bhutan
BVT	BV	Bouvet Island
BWA	BC	Botswana
BLR	BO	Belarus
BLZ	BH	Belize
CAN	CA	Canada
CCK	CK	Cocos Islands
COD	CG	Democratic Republic of the Congo
CAF	CT	Central African Republic
COG	CF	Republic of the Congo
CHE	SZ	Switzerland
CIV	IV	Ivory Coast
COK	CW	Cook Islands
CHL	CI	Chile
CMR	CM	Cameroon
CHN	CH	China
COL	CO	Colombia
CRI	CS	Costa Rica
CUB	CU	Cuba
CPV	CV	Cabo Verde
CUW	UC	Curacao
CXR	KT	Christmas Island
CYP	CY	Cyprus
CZE	EZ	Czechia
DEU	GM	Germany
DJI	DJ	Djibouti
DNK	DA	Denmark
DMA	DO	Dominica
DOM	DR	Dominican Republic
DZA	AG	Algeria
ECU	EC	Ecuador
EST	EN	Estonia
EGY	EG	Egypt
ESH	WI	Western Sahara
ERI	ER	Eritrea
ESP	SP	Spain
ETH	ET	Ethiopia
FIN	FI	Finland
FJI	FJ	Fiji
FLK	FK	Falkland Islands
FSM	FM	Micronesia
FRO	FO	Faroe Islands
FRA	FR	France
GAB	GB	Gabon
GBR	UK	United Kingdom
GRD	GJ	Grenada
GEO	GG	Georgia
GUF	FG	French Guiana
GGY	GK	Guernsey
GHA	GH	Ghana
GIB	GI	Gibraltar
GRL	GL	Greenland
GMB	GA	Gambia
GIN	GV	Guinea
GLP	GP	Guadeloupe
GNQ	EK	Equatorial Guinea
GRC	GR	Greece
SGS	SX	South Georgia and the South Sandwich Islands
GTM	GT	Guatemala
GUM	GQ	Guam
GNB	PU	Guinea-Bissau
GUY	GY	Guyana
HKG	HK	Hong Kong
HMD	HM	Heard Island and McDonald Islands
HND	HO	Honduras
HRV	HR	Croatia
HTI	HA	Haiti
HUN	HU	Hungary
IDN	ID	Indonesia
IRL	EI	Ireland
ISR	IS	Israel
IMN	IM	Isle of Man
IND	IN	India
IOT	IO	British Indian Ocean Territory
IRQ	IZ	Iraq
IRN	IR	Iran
ISL	IC	Iceland
ITA	IT	Italy
JEY	JE	Jersey
JAM	JM	Jamaica
JOR	JO	Jordan
JPN	JA	Japan
KEN	KE	Kenya
KGZ	KG	Kyrgyzstan
KHM	CB	Cambodia
KIR	KR	Kiribati
COM	CN	Comoros
KNA	SC	Saint Kitts and Nevis
PRK	KN	North Korea
KOR	KS	South Korea
XKX	KV	Kosovo
KWT	KU	Kuwait
CYM	CJ	Cayman Islands
KAZ	KZ	Kazakhstan
LAO	LA	Laos
LBN	LE	Lebanon
LCA	ST	Saint Lucia
LIE	LS	Liechtenstein
LKA	CE	Sri Lanka
LBR	LI	Liberia
LSO	LT	Lesotho
LTU	LH	Lithuania
LUX	LU	Luxembourg
LVA	LG	Latvia
LBY	LY	Libya
MAR	MO	Morocco
MCO	MN	Monaco
MDA	MD	Moldova
MNE	MJ	Montenegro
MAF	RN	Saint Martin
MDG	MA	Madagascar
MHL	RM	Marshall Islands
MKD	MK	North Macedonia
MLI	ML	Mali
MMR	BM	Myanmar
MNG	MG	Mongolia
MAC	MC	Macao
MNP	CQ	Northern Mariana Islands
MTQ	MB	Martinique
MRT	MR	Mauritania
MSR	MH	Montserrat
MLT	MT	Malta
MUS	MP	Mauritius
MDV	MV	Maldives
MWI	MI	Malawi
MEX	MX	Mexico
MYS	MY	Malaysia
MOZ	MZ	Mozambique
NAM	WA	Namibia
NCL	NC	New Caledonia
NER	NG	Niger
NFK	NF	Norfolk Island
NGA	NI	Nigeria
NIC	NU	Nicaragua
NLD	NL	The Netherlands
NOR	NO	Norway
NPL	NP	Nepal
NRU	NR	Nauru
NIU	NE	Niue
NZL	NZ	New Zealand
OMN	MU	Oman
PAN	PM	Panama
PER	PE	Peru
PYF	FP	French Polynesia
PNG	PP	Papua New Guinea
PHL	RP	Philippines
PAK	PK	Pakistan
POL	PL	Poland
SPM	SB	Saint Pierre and Miquelon
PCN	PC	Pitcairn
PRI	RQ	Puerto Rico
PSE	WE	Palestinian Territory
PRT	PO	Portugal
PLW	PS	Palau
PRY	PA	Paraguay
QAT	QA	Qatar
REU	RE	Reunion
ROU	RO	Romania
SRB	RI	Serbia
RUS	RS	Russia
RWA	RW	Rwanda
SAU	SA	Saudi Arabia
SLB	BP	Solomon Islands
SYC	SE	Seychelles
SDN	SU	Sudan
SSD	OD	South Sudan
SWE	SW	Sweden
SGP	SN	Singapore
SHN	SH	Saint Helena
SVN	SI	Slovenia
SJM	SV	Svalbard and Jan Mayen
SVK	LO	Slovakia
SLE	SL	Sierra Leone
SMR	SM	San Marino
SEN	SG	Senegal
SOM	SO	Somalia
SUR	NS	Suriname
STP	TP	Sao Tome and Principe
SLV	ES	El Salvador
SXM	NN	Sint Maarten
SYR	SY	Syria
SWZ	WZ	Eswatini
TCA	TK	Turks and Caicos Islands
TCD	CD	Chad
ATF	FS	French Southern Territories
TGO	TO	Togo
THA	TH	Thailand
TJK	TI	Tajikistan
TKL	TL	Tokelau
TLS	TT	Timor Leste
TKM	TX	Turkmenistan
TUN	TS	Tunisia
TON	TN	Tonga
TUR	TU	Turkey
TTO	TD	Trinidad and Tobago
TUV	TV	Tuvalu
TWN	TW	Taiwan
TZA	TZ	Tanzania
UKR	UP	Ukraine
UGA	UG	Uganda
UMI		United States Minor Outlying Islands
USA	US	United States
URY	UY	Uruguay
UZB	UZ	Uzbekistan
VAT	VT	Vatican
VCT	VC	Saint Vincent and the Grenadines
VEN	VE	Venezuela
VGB	VI	British Virgin Islands
VIR	VQ	U.S. Virgin Islands
VNM	VM	Vietnam
VUT	NH	Vanuatu
WLF	WF	Wallis and Futuna
WSM	WS	Samoa
YEM	YM	Yemen
MYT	MF	Mayotte
ZAF	SF	South Africa
ZMB	ZA	Zambia
ZWE	ZI	Zimbabwe
SCG	YI	Serbia and Montenegro
ANT	NT	Netherlands Antilles
"""

# ---------------------------------------------------------------------------
# 2. GDELT's own FIPS lookup, FIPS.country.txt (code, GDELT label), every row.
#    Copied from github.com/gl0bsec/get_gdelt_data at f6f7e62 (same bytes in
#    gdelt_data/data/ and report_generation/; CRLF removed). Two GDELT labels are
#    wrong and are not used as names: GV is labelled "Equatorial Guinea" (FIPS
#    GV is Guinea; Equatorial Guinea is EK) and LO "Czechoslovakia" (FIPS LO
#    is Slovakia since 1993).
# ---------------------------------------------------------------------------
GDELT_FIPS = """
AF	Afghanistan
AX	Akrotiri Sovereign Base Area
AL	Albania
AG	Algeria
AQ	American Samoa
AN	Andorra
AO	Angola
AV	Anguilla
AY	Antarctica
AC	Antigua and Barbuda
AR	Argentina
AM	Armenia
AA	Aruba
AT	Ashmore and Cartier Islands
AS	Australia
AU	Austria
AJ	Azerbaijan
BF	Bahamas, The
BA	Bahrain
FQ	Baker Island
BG	Bangladesh
BB	Barbados
BS	Bassas da India
BO	Belarus
BE	Belgium
BH	Belize
BN	Benin
BD	Bermuda
BT	Bhutan
BL	Bolivia
BK	Bosnia-Herzegovina
BC	Botswana
BV	Bouvet Island
BR	Brazil
IO	British Indian Ocean Territory
VI	British Virgin Islands
BX	Brunei
BU	Bulgaria
UV	Burkina Faso
BY	Burundi
CB	Cambodia
CM	Cameroon
CA	Canada
CV	Cape Verde
CJ	Cayman Islands
CT	Central African Republic
CD	Chad
CI	Chile
CH	China
KT	Christmas Island
IP	Clipperton Island
CK	Cocos Keeling Islands
CO	Colombia
CN	Comoros
CF	Congo
CW	Cook Islands
CR	Coral Sea Islands
CS	Costa Rica
IV	Cote dIvoire
HR	Croatia
CU	Cuba
CY	Cyprus
EZ	Czech Republic
LO	Czechoslovakia
CG	Democratic Republic of the Congo
DA	Denmark
DX	Dhekelia Sovereign Base Area
DJ	Djibouti
DO	Dominica
DR	Dominican Republic
TT	East Timor
EC	Ecuador
EG	Egypt
ES	El Salvador
GV	Equatorial Guinea
EK	Equatorial Guinea
ER	Eritrea
EN	Estonia
ET	Ethiopia
PJ	Etorofu, Habomai, Kunashiri and Shikotan Islands
EU	Europa Island
FK	Falkland Islands Islas Malvinas
FO	Faroe Islands
FJ	Fiji
FI	Finland
FR	France
FG	French Guiana
FP	French Polynesia
FS	French Southern and Antarctic Lands
GB	Gabon
GA	Gambia
GZ	Gaza Strip
GG	Georgia
GM	Germany
GH	Ghana
GI	Gibraltar
GO	Glorioso Islands
GR	Greece
GL	Greenland
GJ	Grenada
GP	Guadeloupe
GQ	Guam
GT	Guatemala
GK	Guernsey
PU	Guinea-Bissau
GY	Guyana
HA	Haiti
HM	Heard Island and McDonald Islands
HO	Honduras
HK	Hong Kong
HQ	Howland Island
HU	Hungary
IC	Iceland
IN	India
ID	Indonesia
IR	Iran
IZ	Iraq
EI	Ireland
IM	Isle of Man
IS	Israel
IT	Italy
JM	Jamaica
JN	Jan Mayen
JA	Japan
DQ	Jarvis Island
JE	Jersey
JQ	Johnston Atoll
JO	Jordan
JU	Juan de Nova Island
KZ	Kazakhstan
KE	Kenya
KQ	Kingman Reef
KR	Kiribati
KV	Kosovo
KU	Kuwait
KG	Kyrgyzstan
LA	Laos
LG	Latvia
LE	Lebanon
LT	Lesotho
LI	Liberia
LY	Libya
LS	Liechtenstein
LH	Lithuania
LU	Luxembourg
MC	Macau
MK	Macedonia
MA	Madagascar
MI	Malawi
MY	Malaysia
MV	Maldives
ML	Mali
MT	Malta
RM	Marshall Islands
MB	Martinique
MR	Mauritania
MP	Mauritius
MF	Mayotte
MX	Mexico
FM	Micronesia
MQ	Midway Islands
MD	Moldova
MN	Monaco
MG	Mongolia
MJ	Montenegro
MH	Montserrat
MO	Morocco
MZ	Mozambique
BM	Myanmar
WA	Namibia
NR	Nauru
BQ	Navassa Island
NP	Nepal
NL	Netherlands
NT	Netherlands Antilles
NC	New Caledonia
NZ	New Zealand
NU	Nicaragua
NG	Niger
NI	Nigeria
NE	Niue
NM	No Mans Land
NF	Norfolk Island
KN	North Korea
CQ	Northern Mariana Islands
NO	Norway
OS	Oceans
MU	Oman
PK	Pakistan
PS	Palau
LQ	Palmyra Atoll
PM	Panama
PP	Papua New Guinea
PF	Paracel Islands
PA	Paraguay
PE	Peru
RP	Philippines
PC	Pitcairn Islands
PL	Poland
PO	Portugal
RQ	Puerto Rico
QA	Qatar
RE	Reunion
RO	Romania
RS	Russia
RW	Rwanda
SH	Saint Helena
SC	Saint Kitts and Nevis
ST	Saint Lucia
RN	Saint Martin
SB	Saint Pierre and Miquelon
VC	Saint Vincent and the Grenadines
TB	Saint-Barthelemy Island
WS	Samoa
SM	San Marino
TP	Sao Tome and Principe
SA	Saudi Arabia
SG	Senegal
RI	Serbia
SE	Seychelles
SL	Sierra Leone
SN	Singapore
SI	Slovenia
BP	Solomon Islands
SO	Somalia
SF	South Africa
SX	South Georgia and the South Sandwich Islands
KS	South Korea
OD	South Sudan
SP	Spain
PG	Spratly Islands
CE	Sri Lanka
SU	Sudan
NS	Suriname
SV	Svalbard
WZ	Swaziland
SW	Sweden
SZ	Switzerland
SY	Syria
TW	Taiwan
TI	Tajikistan
TZ	Tanzania
TH	Thailand
TO	Togo
TL	Tokelau
TN	Tonga
TD	Trinidad and Tobago
TE	Tromelin Island
TS	Tunisia
TU	Turkey
TX	Turkmenistan
TK	Turks and Caicos Islands
TV	Tuvalu
UG	Uganda
UP	Ukraine
UF	Undersea Features
UU	Undesignated Sovereignty
AE	United Arab Emirates
UK	United Kingdom
US	United States
UY	Uruguay
UZ	Uzbekistan
NH	Vanuatu
VT	Vatican City
VE	Venezuela
VM	Vietnam, Democratic Republic of
VQ	Virgin Islands
WQ	Wake Island
WF	Wallis and Futuna
WE	West Bank
WI	Western Sahara
YM	Yemen
ZA	Zambia
ZI	Zimbabwe
"""
GDELT_BAD_LABELS = {"GV", "LO"}

# ---------------------------------------------------------------------------
# 3. CIA World Factbook Appendix D cross-reference: GEC (= FIPS 10-4) code,
#    ISO alpha-3, Factbook name. From github.com/factbook/factbook at 4b0a684,
#    factbook-readers/data/codesxref.csv (its header labels A2/A3 the wrong way
#    round; the alpha-3 column is copied here). "-" = no code.
# ---------------------------------------------------------------------------
FACTBOOK = """
AF	AFG	Afghanistan
AX	-	Akrotiri
AL	ALB	Albania
AG	DZA	Algeria
AQ	ASM	American Samoa
AN	AND	Andorra
AO	AGO	Angola
AV	AIA	Anguilla
AY	ATA	Antarctica
AC	ATG	Antigua and Barbuda
AR	ARG	Argentina
AM	ARM	Armenia
AA	ABW	Aruba
AT	-	Ashmore and Cartier Islands
AS	AUS	Australia
AU	AUT	Austria
AJ	AZE	Azerbaijan
BF	BHS	Bahamas, The
BA	BHR	Bahrain
FQ	-	Baker Island
BG	BGD	Bangladesh
BB	BRB	Barbados
BS	-	Bassas da India
BO	BLR	Belarus
BE	BEL	Belgium
BH	BLZ	Belize
BN	BEN	Benin
BD	BMU	Bermuda
BT	BTN	Bhutan
BL	BOL	Bolivia
BK	BIH	Bosnia and Herzegovina
BC	BWA	Botswana
BV	BVT	Bouvet Island
BR	BRA	Brazil
IO	IOT	British Indian Ocean Territory
VI	VGB	British Virgin Islands
BX	BRN	Brunei
BU	BGR	Bulgaria
UV	BFA	Burkina Faso
BM	MMR	Burma
BY	BDI	Burundi
CV	CPV	Cabo Verde
CB	KHM	Cambodia
CM	CMR	Cameroon
CA	CAN	Canada
CJ	CYM	Cayman Islands
CT	CAF	Central African Republic
CD	TCD	Chad
CI	CHL	Chile
CH	CHN	China
KT	CXR	Christmas Island
IP	-	Clipperton Island
CK	CCK	Cocos (Keeling) Islands
CO	COL	Colombia
CN	COM	Comoros
CG	COD	Congo, Democratic Republic of the
CF	COG	Congo, Republic of the
CW	COK	Cook Islands
CR	-	Coral Sea Islands
CS	CRI	Costa Rica
IV	CIV	Cote d'Ivoire
HR	HRV	Croatia
CU	CUB	Cuba
UC	CUW	Curacao
CY	CYP	Cyprus
EZ	CZE	Czech Republic
DA	DNK	Denmark
DX	-	Dhekelia
DJ	DJI	Djibouti
DO	DMA	Dominica
DR	DOM	Dominican Republic
EC	ECU	Ecuador
EG	EGY	Egypt
ES	SLV	El Salvador
EK	GNQ	Equatorial Guinea
ER	ERI	Eritrea
EN	EST	Estonia
ET	ETH	Ethiopia
EU	-	Europa Island
FK	FLK	Falkland Islands (Islas Malvinas)
FO	FRO	Faroe Islands
FJ	FJI	Fiji
FI	FIN	Finland
FR	FRA	France
-	FXX	France, Metropolitan
FG	GUF	French Guiana
FP	PYF	French Polynesia
FS	ATF	French Southern and Antarctic Lands
GB	GAB	Gabon
GA	GMB	Gambia, The
GZ	PSE	Gaza Strip
GG	GEO	Georgia
GM	DEU	Germany
GH	GHA	Ghana
GI	GIB	Gibraltar
GO	-	Glorioso Islands
GR	GRC	Greece
GL	GRL	Greenland
GJ	GRD	Grenada
GP	GLP	Guadeloupe
GQ	GUM	Guam
GT	GTM	Guatemala
GK	GGY	Guernsey
GV	GIN	Guinea
PU	GNB	Guinea-Bissau
GY	GUY	Guyana
HA	HTI	Haiti
HM	HMD	Heard Island and McDonald Islands
VT	VAT	Holy See (Vatican City)
HO	HND	Honduras
HK	HKG	Hong Kong
HQ	-	Howland Island
HU	HUN	Hungary
IC	ISL	Iceland
IN	IND	India
ID	IDN	Indonesia
IR	IRN	Iran
IZ	IRQ	Iraq
EI	IRL	Ireland
IM	IMN	Isle of Man
IS	ISR	Israel
IT	ITA	Italy
JM	JAM	Jamaica
JN	-	Jan Mayen
JA	JPN	Japan
DQ	-	Jarvis Island
JE	JEY	Jersey
JQ	-	Johnston Atoll
JO	JOR	Jordan
JU	-	Juan de Nova Island
KZ	KAZ	Kazakhstan
KE	KEN	Kenya
KQ	-	Kingman Reef
KR	KIR	Kiribati
KN	PRK	Korea, North
KS	KOR	Korea, South
KV	XKS	Kosovo
KU	KWT	Kuwait
KG	KGZ	Kyrgyzstan
LA	LAO	Laos
LG	LVA	Latvia
LE	LBN	Lebanon
LT	LSO	Lesotho
LI	LBR	Liberia
LY	LBY	Libya
LS	LIE	Liechtenstein
LH	LTU	Lithuania
LU	LUX	Luxembourg
MC	MAC	Macau
MK	MKD	Macedonia
MA	MDG	Madagascar
MI	MWI	Malawi
MY	MYS	Malaysia
MV	MDV	Maldives
ML	MLI	Mali
MT	MLT	Malta
RM	MHL	Marshall Islands
MB	MTQ	Martinique
MR	MRT	Mauritania
MP	MUS	Mauritius
MF	MYT	Mayotte
MX	MEX	Mexico
FM	FSM	Micronesia, Federated States of
MQ	-	Midway Islands
MD	MDA	Moldova
MN	MCO	Monaco
MG	MNG	Mongolia
MJ	MNE	Montenegro
MH	MSR	Montserrat
MO	MAR	Morocco
MZ	MOZ	Mozambique
-	-	Myanmar
WA	NAM	Namibia
NR	NRU	Nauru
BQ	-	Navassa Island
NP	NPL	Nepal
NL	NLD	Netherlands
NT		Netherlands Antilles
NC	NCL	New Caledonia
NZ	NZL	New Zealand
NU	NIC	Nicaragua
NG	NER	Niger
NI	NGA	Nigeria
NE	NIU	Niue
NF	NFK	Norfolk Island
CQ	MNP	Northern Mariana Islands
NO	NOR	Norway
MU	OMN	Oman
PK	PAK	Pakistan
PS	PLW	Palau
LQ	-	Palmyra Atoll
PM	PAN	Panama
PP	PNG	Papua New Guinea
PF	-	Paracel Islands
PA	PRY	Paraguay
PE	PER	Peru
RP	PHL	Philippines
PC	PCN	Pitcairn Islands
PL	POL	Poland
PO	PRT	Portugal
RQ	PRI	Puerto Rico
QA	QAT	Qatar
RE	REU	Reunion
RO	ROU	Romania
RS	RUS	Russia
RW	RWA	Rwanda
TB	BLM	Saint Barthelemy
SH	SHN	Saint Helena, Ascension, and Tristan da Cunha
SC	KNA	Saint Kitts and Nevis
ST	LCA	Saint Lucia
RN	MAF	Saint Martin
SB	SPM	Saint Pierre and Miquelon
VC	VCT	Saint Vincent and the Grenadines
WS	WSM	Samoa
SM	SMR	San Marino
TP	STP	Sao Tome and Principe
SA	SAU	Saudi Arabia
SG	SEN	Senegal
RI	SRB	Serbia
SE	SYC	Seychelles
SL	SLE	Sierra Leone
SN	SGP	Singapore
NN	SXM	Sint Maarten
LO	SVK	Slovakia
SI	SVN	Slovenia
BP	SLB	Solomon Islands
SO	SOM	Somalia
SF	ZAF	South Africa
SX	SGS	South Georgia and the Islands
OD	SSD	South Sudan
SP	ESP	Spain
PG	-	Spratly Islands
CE	LKA	Sri Lanka
SU	SDN	Sudan
NS	SUR	Suriname
SV	SJM	Svalbard
WZ	SWZ	Swaziland
SW	SWE	Sweden
SZ	CHE	Switzerland
SY	SYR	Syria
TW	TWN	Taiwan
TI	TJK	Tajikistan
TZ	TZA	Tanzania
TH	THA	Thailand
TT	TLS	Timor-Leste
TO	TGO	Togo
TL	TKL	Tokelau
TN	TON	Tonga
TD	TTO	Trinidad and Tobago
TE	-	Tromelin Island
TS	TUN	Tunisia
TU	TUR	Turkey
TX	TKM	Turkmenistan
TK	TCA	Turks and Caicos Islands
TV	TUV	Tuvalu
UG	UGA	Uganda
UP	UKR	Ukraine
AE	ARE	United Arab Emirates
UK	GBR	United Kingdom
US	USA	United States
-	UMI	United States Minor Outlying Islands
UY	URY	Uruguay
UZ	UZB	Uzbekistan
NH	VUT	Vanuatu
VE	VEN	Venezuela
VM	VNM	Vietnam
VQ	VIR	Virgin Islands
-	-	Virgin Islands (UK)
-	-	Virgin Islands (US)
WQ	-	Wake Island
WF	WLF	Wallis and Futuna
WE	PSE	West Bank
WI	ESH	Western Sahara
-	-	Western Samoa
-	-	World
YM	YEM	Yemen
-	-	Zaire
ZA	ZMB	Zambia
ZI	ZWE	Zimbabwe
"""

# ---------------------------------------------------------------------------
# 4. FIPS codes that are not the code of an ISO 3166-1 country/territory.
#    iso3 is the ISO unit that contains the area, from the Factbook notes in
#    factbook/factbook CODES.md ("ISO includes with ..."), or "" where the
#    Factbook says no ISO code applies, or the area is disputed, or it is a
#    GDELT-only pseudo-code.
# ---------------------------------------------------------------------------
FIPS_TERRITORIES = {
    # code: (iso3, note)
    "AT": ("AUS", "Ashmore and Cartier Islands; Factbook: ISO includes with Australia."),
    "AX": ("", "Akrotiri, UK Sovereign Base Area on Cyprus; Factbook: no ISO code."),
    "BQ": ("UMI", "Navassa Island; Factbook: ISO includes with the US Minor Outlying Islands."),
    "BS": ("", "Bassas da India, administered with the French Southern and Antarctic Lands; Factbook: no ISO code assigned."),
    "CR": ("AUS", "Coral Sea Islands; Factbook: ISO includes with Australia."),
    "DQ": ("UMI", "Jarvis Island; Factbook: ISO includes with the US Minor Outlying Islands."),
    "DX": ("", "Dhekelia, UK Sovereign Base Area on Cyprus; Factbook: no ISO code."),
    "EU": ("", "Europa Island, administered with the French Southern and Antarctic Lands; Factbook: no ISO code assigned."),
    "FQ": ("UMI", "Baker Island; Factbook: ISO includes with the US Minor Outlying Islands."),
    "GO": ("", "Glorioso Islands, administered with the French Southern and Antarctic Lands; Factbook: no ISO code assigned."),
    "GZ": ("PSE", "Gaza Strip; Factbook: ISO identifies as Occupied Palestinian Territory (PS/PSE/275). See README: UCDP files Gaza events under Israel."),
    "HQ": ("UMI", "Howland Island; Factbook: ISO includes with the US Minor Outlying Islands."),
    "IP": ("FRA", "Clipperton Island; Factbook: ISO includes with France."),
    "JN": ("SJM", "Jan Mayen; Factbook: ISO includes with Svalbard (SJ/SJM)."),
    "JQ": ("UMI", "Johnston Atoll; Factbook: ISO includes with the US Minor Outlying Islands."),
    "JU": ("", "Juan de Nova Island, administered with the French Southern and Antarctic Lands; Factbook: no ISO code assigned."),
    "KQ": ("UMI", "Kingman Reef; Factbook: ISO includes with the US Minor Outlying Islands."),
    "LQ": ("UMI", "Palmyra Atoll; Factbook: ISO includes with the US Minor Outlying Islands."),
    "MQ": ("UMI", "Midway Islands; Factbook: ISO includes with the US Minor Outlying Islands."),
    "NM": ("", "GDELT pseudo-code \"No Mans Land\"; not in the Factbook list; no country."),
    "NT": ("", "Netherlands Antilles, dissolved 10 Oct 2010 into CUW, SXM and BES; ISO code ANT deleted; no single successor."),
    "OS": ("", "GDELT pseudo-code \"Oceans\" (open sea); no country."),
    "PF": ("", "Paracel Islands, disputed (China, Vietnam, Taiwan); Factbook: no ISO code."),
    "PG": ("", "Spratly Islands, disputed (China, Vietnam, Philippines, Malaysia, Brunei, Taiwan); Factbook: no ISO code."),
    "PJ": ("", "Etorofu, Habomai, Kunashiri and Shikotan (southern Kuril Islands), disputed Japan/Russia; GDELT code, no ISO code."),
    "TE": ("", "Tromelin Island, administered with the French Southern and Antarctic Lands; Factbook: no ISO code assigned."),
    "UF": ("", "GDELT pseudo-code \"Undersea Features\"; no country."),
    "UU": ("", "GDELT pseudo-code \"Undesignated Sovereignty\"; no country."),
    "WE": ("PSE", "West Bank; Factbook: ISO identifies as Occupied Palestinian Territory (PS/PSE/275); GeoNames gives WE as PSE's FIPS code. See README: UCDP files West Bank events under Israel."),
    "WQ": ("UMI", "Wake Island; Factbook: ISO includes with the US Minor Outlying Islands."),
}

# ---------------------------------------------------------------------------
# 5. Historical FIPS 10-4 codes that are no longer assigned (none of them is in
#    GDELT's list; kept so that old files can be read). From the 1996 FIPS list
#    in CPAN Geography::Country::FIPS (github.com/gitpan/Geography-Country-FIPS
#    @002b5e0, lib/Geography/Country/FIPS.pm __DATA__), except YI, which is
#    GeoNames' FIPS code for its historical row CS/SCG "Serbia and Montenegro".
#    Old codes that were later reassigned (e.g. PS = Trust Territory of the
#    Pacific Islands, now Palau) cannot be kept and are left out.
#    iso3 follows README's rule: a unit maps to a present state only where that
#    state is its continuation (USSR -> RUS, FRY/Serbia and Montenegro -> SRB)
#    or where it merged whole into it (the two Germanys, the two Yemens).
# ---------------------------------------------------------------------------
HISTORICAL_FIPS = [
    # (code, label as in the source, iso3, note, source)
    ("BZ", "Germany, Berlin", "DEU", "Old FIPS code for Berlin; Berlin is in Germany.", SRC_OLD_FIPS),
    ("CZ", "Czechoslovakia", "", "Old FIPS code; Czechoslovakia split on 1 Jan 1993 into CZE and SVK (no continuing state).", SRC_OLD_FIPS),
    ("GC", "German Democratic Republic", "DEU", "Old FIPS code for East Germany; merged into Germany 3 Oct 1990.", SRC_OLD_FIPS),
    ("GE", "Germany, Federal Republic of", "DEU", "Old FIPS code for West Germany (the 1996 list already gives Germany as GM).", SRC_OLD_FIPS),
    ("GN", "Gilbert and Ellice Islands", "", "Old FIPS code; split into Kiribati (KIR) and Tuvalu (TUV).", SRC_OLD_FIPS),
    ("IY", "Iraq-Saudia Arabia Neutral Zone", "", "Old FIPS code for the former Iraq-Saudi Arabia Neutral Zone (ISO 3166-3 NTZ, deleted 1993), now divided between IRQ and SAU.", SRC_OLD_FIPS),
    ("TC", "United Arab Emirates", "ARE", "Old FIPS code for the UAE (now AE).", SRC_OLD_FIPS),
    ("UR", "USSR", "RUS", "Old FIPS code for the Soviet Union; mapped to Russia, its continuing state (as UCDP/Gleditsch-Ward 365 do). Events in other republics before 1992 will read RUS.", SRC_OLD_FIPS),
    ("YE", "Yemen (Sanaa)", "YEM", "Old FIPS code for North Yemen; merged into Yemen 22 May 1990.", SRC_OLD_FIPS),
    ("YI", "Serbia and Montenegro", "SRB", "GeoNames' FIPS code for its historical row CS/SCG; mapped to Serbia, the continuing state after Montenegro left in June 2006.", SRC_GEONAMES),
    ("YO", "Yugoslavia", "", "Old FIPS code for the Socialist Federal Republic of Yugoslavia; broke up 1991-92 into five states (no single successor).", SRC_OLD_FIPS),
    ("YS", "Yemen (Aden)", "YEM", "Old FIPS code for South Yemen; merged into Yemen 22 May 1990.", SRC_OLD_FIPS),
]

# ---------------------------------------------------------------------------
# 6. Gleditsch-Ward (GW) state list, every state that existed after 1945.
#    From iisystem.dat and microstatessystem.dat (ksgleditsch.com) as packaged
#    in github.com/andybega/states@b154482 data/gwstates.rda (read with the
#    Python package rdata; dates are GW's). iso3 and role were assigned by hand:
#      current   - gwno goes into countries.csv; GW name becomes an alias
#      code-only - gwno goes into countries.csv; name is not an alias
#      merged    - name becomes an alias of the state it merged into; gwno is
#                  not in countries.csv (one number per row)
#      none      - neither (split states, non-ISO units)
# ---------------------------------------------------------------------------
GW_STATES = [
    (2, 'United States of America', '1816-01-01', '', 'USA', 'current', ''),
    (20, 'Canada', '1867-07-01', '', 'CAN', 'current', ''),
    (31, 'Bahamas', '1973-07-10', '', 'BHS', 'current', ''),
    (40, 'Cuba', '1902-05-20', '', 'CUB', 'current', ''),
    (41, 'Haiti', '1934-08-15', '', 'HTI', 'current', ''),
    (42, 'Dominican Republic', '1844-02-27', '', 'DOM', 'current', ''),
    (51, 'Jamaica', '1962-08-06', '', 'JAM', 'current', ''),
    (52, 'Trinidad and Tobago', '1962-08-31', '', 'TTO', 'current', ''),
    (53, 'Barbados', '1966-11-30', '', 'BRB', 'current', ''),
    (54, 'Dominica', '1978-11-03', '', 'DMA', 'current', ''),
    (55, 'Grenada', '1974-02-07', '', 'GRD', 'current', ''),
    (56, 'Saint Lucia', '1979-02-22', '', 'LCA', 'current', ''),
    (57, 'Saint Vincent and the Grenadines', '1979-10-27', '', 'VCT', 'current', ''),
    (58, 'Antigua & Barbuda', '1981-11-01', '', 'ATG', 'current', ''),
    (60, 'Saint Kitts and Nevis', '1983-09-19', '', 'KNA', 'current', ''),
    (70, 'Mexico', '1821-07-01', '', 'MEX', 'current', ''),
    (80, 'Belize', '1981-09-21', '', 'BLZ', 'current', ''),
    (90, 'Guatemala', '1840-01-01', '', 'GTM', 'current', ''),
    (91, 'Honduras', '1840-01-01', '', 'HND', 'current', ''),
    (92, 'El Salvador', '1840-01-01', '', 'SLV', 'current', ''),
    (93, 'Nicaragua', '1840-01-01', '', 'NIC', 'current', ''),
    (94, 'Costa Rica', '1840-01-01', '', 'CRI', 'current', ''),
    (95, 'Panama', '1903-11-03', '', 'PAN', 'current', ''),
    (100, 'Colombia', '1830-09-23', '', 'COL', 'current', ''),
    (101, 'Venezuela', '1829-01-01', '', 'VEN', 'current', ''),
    (110, 'Guyana', '1966-05-26', '', 'GUY', 'current', ''),
    (115, 'Surinam', '1975-11-25', '', 'SUR', 'current', ''),
    (130, 'Ecuador', '1830-05-13', '', 'ECU', 'current', ''),
    (135, 'Peru', '1824-12-09', '', 'PER', 'current', ''),
    (140, 'Brazil', '1822-09-07', '', 'BRA', 'current', ''),
    (145, 'Bolivia', '1825-08-06', '', 'BOL', 'current', ''),
    (150, 'Paraguay', '1816-01-01', '', 'PRY', 'current', ''),
    (155, 'Chile', '1818-04-01', '', 'CHL', 'current', ''),
    (160, 'Argentina', '1816-07-09', '', 'ARG', 'current', ''),
    (165, 'Uruguay', '1830-05-26', '', 'URY', 'current', ''),
    (200, 'United Kingdom', '1816-01-01', '', 'GBR', 'current', ''),
    (205, 'Ireland', '1921-12-06', '', 'IRL', 'current', ''),
    (210, 'Netherlands', '1816-01-01', '', 'NLD', 'current', ''),
    (211, 'Belgium', '1830-10-04', '', 'BEL', 'current', ''),
    (212, 'Luxembourg', '1867-05-11', '', 'LUX', 'current', ''),
    (220, 'France', '1816-01-01', '', 'FRA', 'current', ''),
    (221, 'Monaco', '1816-01-01', '', 'MCO', 'current', ''),
    (223, 'Liechtenstein', '1816-01-01', '', 'LIE', 'current', ''),
    (225, 'Switzerland', '1816-01-01', '', 'CHE', 'current', ''),
    (230, 'Spain', '1816-01-01', '', 'ESP', 'current', ''),
    (232, 'Andorra', '1816-01-01', '', 'AND', 'current', ''),
    (235, 'Portugal', '1816-01-01', '', 'PRT', 'current', ''),
    (260, 'German Federal Republic', '1949-09-21', '', 'DEU', 'current', "GW's name for Germany (West Germany until 1990; GW keeps 260 for unified Germany)."),
    (265, 'German Democratic Republic', '1949-10-05', '1990-10-02', 'DEU', 'merged', 'East Germany, merged into Germany 3 Oct 1990 (GW 265 ends 2 Oct 1990).'),
    (290, 'Poland', '1918-11-11', '', 'POL', 'current', ''),
    (305, 'Austria', '1918-11-14', '', 'AUT', 'current', ''),
    (310, 'Hungary', '1918-11-03', '', 'HUN', 'current', ''),
    (315, 'Czechoslovakia', '1918-11-11', '1992-12-31', '', 'none', 'Czechoslovakia split 1 Jan 1993 into CZE (316) and SVK (317).'),
    (316, 'Czech Republic', '1993-01-01', '', 'CZE', 'current', ''),
    (317, 'Slovakia', '1993-01-01', '', 'SVK', 'current', ''),
    (325, 'Italy/Sardinia', '1816-01-01', '', 'ITA', 'current', ''),
    (331, 'San Marino', '1816-01-01', '', 'SMR', 'current', ''),
    (338, 'Malta', '1964-09-21', '', 'MLT', 'current', ''),
    (339, 'Albania', '1913-01-01', '', 'ALB', 'current', ''),
    (340, 'Serbia', '2006-06-05', '', 'SRB', 'none', "GW's own number for Serbia from 5 Jun 2006; UCDP keeps 345 for Serbia, so countries.csv gives SRB 345."),
    (341, 'Montenegro', '2006-06-03', '', 'MNE', 'current', ''),
    (343, 'Macedonia (Former Yugoslav Republic of)', '1991-11-20', '', 'MKD', 'current', ''),
    (344, 'Croatia', '1992-04-27', '', 'HRV', 'current', ''),
    (345, 'Yugoslavia', '1918-12-01', '2006-06-04', 'SRB', 'code-only', "GW: Yugoslavia 1918-2006 (SFRY, then FRY/Serbia and Montenegro). UCDP uses 345 for Serbia ('Serbia (Yugoslavia)'); the plain name Yugoslavia is not an alias (five successor states)."),
    (346, 'Bosnia-Herzegovina', '1992-04-27', '', 'BIH', 'current', ''),
    (347, 'Kosovo', '2008-02-17', '', 'XKX', 'current', 'GW 347 from 17 Feb 2008. UCDP files Kosovo events under Serbia (Yugoslavia), 345.'),
    (349, 'Slovenia', '1992-04-27', '', 'SVN', 'current', ''),
    (350, 'Greece', '1828-04-25', '', 'GRC', 'current', ''),
    (352, 'Cyprus', '1960-08-16', '', 'CYP', 'current', ''),
    (355, 'Bulgaria', '1878-03-03', '', 'BGR', 'current', ''),
    (359, 'Moldova', '1991-08-27', '', 'MDA', 'current', ''),
    (360, 'Romania', '1878-07-13', '', 'ROU', 'current', ''),
    (365, 'Russia (Soviet Union)', '1816-01-01', '', 'RUS', 'current', 'GW: one number for the Russian Empire, the Soviet Union and Russia.'),
    (366, 'Estonia', '1991-09-06', '', 'EST', 'current', ''),
    (367, 'Latvia', '1991-09-06', '', 'LVA', 'current', ''),
    (368, 'Lithuania', '1991-09-06', '', 'LTU', 'current', ''),
    (369, 'Ukraine', '1991-12-01', '', 'UKR', 'current', ''),
    (370, 'Belarus (Byelorussia)', '1991-08-25', '', 'BLR', 'current', ''),
    (371, 'Armenia', '1991-12-21', '', 'ARM', 'current', ''),
    (372, 'Georgia', '1991-12-21', '', 'GEO', 'current', ''),
    (373, 'Azerbaijan', '1991-12-21', '', 'AZE', 'current', ''),
    (375, 'Finland', '1917-12-06', '', 'FIN', 'current', ''),
    (380, 'Sweden', '1816-01-01', '', 'SWE', 'current', ''),
    (385, 'Norway', '1905-08-26', '', 'NOR', 'current', ''),
    (390, 'Denmark', '1816-01-01', '', 'DNK', 'current', ''),
    (395, 'Iceland', '1944-06-17', '', 'ISL', 'current', ''),
    (396, 'Abkhazia', '2008-08-26', '', '', 'none', 'Abkhazia (GW microstate list from 2008); no ISO code; providers file its events under Georgia.'),
    (397, 'South Ossetia', '2008-08-26', '', '', 'none', 'South Ossetia (GW microstate list from 2008); no ISO code; providers file its events under Georgia.'),
    (402, 'Cape Verde', '1975-07-05', '', 'CPV', 'current', ''),
    (403, 'Sao Tome and Principe', '1975-07-12', '', 'STP', 'current', ''),
    (404, 'Guinea-Bissau', '1974-09-10', '', 'GNB', 'current', ''),
    (411, 'Equatorial Guinea', '1968-10-12', '', 'GNQ', 'current', ''),
    (420, 'Gambia', '1965-02-18', '', 'GMB', 'current', ''),
    (432, 'Mali', '1960-09-22', '', 'MLI', 'current', ''),
    (433, 'Senegal', '1960-04-04', '', 'SEN', 'current', ''),
    (434, 'Benin', '1960-08-01', '', 'BEN', 'current', ''),
    (435, 'Mauritania', '1960-11-28', '', 'MRT', 'current', ''),
    (436, 'Niger', '1960-08-03', '', 'NER', 'current', ''),
    (437, "Cote D'Ivoire", '1960-08-07', '', 'CIV', 'current', ''),
    (438, 'Guinea', '1958-10-02', '', 'GIN', 'current', ''),
    (439, 'Burkina Faso (Upper Volta)', '1960-08-05', '', 'BFA', 'current', ''),
    (450, 'Liberia', '1847-07-26', '', 'LBR', 'current', ''),
    (451, 'Sierra Leone', '1961-04-27', '', 'SLE', 'current', ''),
    (452, 'Ghana', '1957-03-06', '', 'GHA', 'current', ''),
    (461, 'Togo', '1960-04-27', '', 'TGO', 'current', ''),
    (471, 'Cameroon', '1960-01-01', '', 'CMR', 'current', ''),
    (475, 'Nigeria', '1960-10-01', '', 'NGA', 'current', ''),
    (481, 'Gabon', '1960-08-17', '', 'GAB', 'current', ''),
    (482, 'Central African Republic', '1960-08-13', '', 'CAF', 'current', ''),
    (483, 'Chad', '1960-08-11', '', 'TCD', 'current', ''),
    (484, 'Congo', '1960-08-15', '', 'COG', 'current', ''),
    (490, 'Congo, Democratic Republic of (Zaire)', '1960-06-30', '', 'COD', 'current', ''),
    (500, 'Uganda', '1962-10-09', '', 'UGA', 'current', ''),
    (501, 'Kenya', '1963-12-12', '', 'KEN', 'current', ''),
    (510, 'Tanzania/Tanganyika', '1961-12-09', '', 'TZA', 'current', ''),
    (511, 'Zanzibar', '1963-12-19', '1964-04-26', 'TZA', 'merged', 'Zanzibar, merged with Tanganyika into Tanzania 26 Apr 1964.'),
    (516, 'Burundi', '1962-07-01', '', 'BDI', 'current', ''),
    (517, 'Rwanda', '1962-01-07', '', 'RWA', 'current', ''),
    (520, 'Somalia', '1960-07-01', '', 'SOM', 'current', ''),
    (522, 'Djibouti', '1977-06-27', '', 'DJI', 'current', ''),
    (530, 'Ethiopia', '1855-02-11', '', 'ETH', 'current', ''),
    (531, 'Eritrea', '1993-05-24', '', 'ERI', 'current', ''),
    (540, 'Angola', '1975-11-11', '', 'AGO', 'current', ''),
    (541, 'Mozambique', '1975-06-25', '', 'MOZ', 'current', ''),
    (551, 'Zambia', '1964-10-24', '', 'ZMB', 'current', ''),
    (552, 'Zimbabwe (Rhodesia)', '1965-11-11', '', 'ZWE', 'current', ''),
    (553, 'Malawi', '1964-07-06', '', 'MWI', 'current', ''),
    (560, 'South Africa', '1910-05-31', '', 'ZAF', 'current', ''),
    (565, 'Namibia', '1990-03-21', '', 'NAM', 'current', ''),
    (570, 'Lesotho', '1966-10-04', '', 'LSO', 'current', ''),
    (571, 'Botswana', '1966-09-30', '', 'BWA', 'current', ''),
    (572, 'Swaziland', '1968-09-06', '', 'SWZ', 'current', ''),
    (580, 'Madagascar', '1960-06-26', '', 'MDG', 'current', ''),
    (581, 'Comoros', '1975-07-06', '', 'COM', 'current', ''),
    (590, 'Mauritius', '1968-03-12', '', 'MUS', 'current', ''),
    (591, 'Seychelles', '1976-06-29', '', 'SYC', 'current', ''),
    (600, 'Morocco', '1956-03-02', '', 'MAR', 'current', ''),
    (615, 'Algeria', '1962-07-05', '', 'DZA', 'current', ''),
    (616, 'Tunisia', '1956-01-01', '', 'TUN', 'current', ''),
    (620, 'Libya', '1951-12-24', '', 'LBY', 'current', ''),
    (625, 'Sudan', '1956-01-01', '', 'SDN', 'current', ''),
    (626, 'South Sudan', '2011-07-09', '', 'SSD', 'current', ''),
    (630, 'Iran (Persia)', '1816-01-01', '', 'IRN', 'current', ''),
    (640, 'Turkey (Ottoman Empire)', '1816-01-01', '', 'TUR', 'current', ''),
    (645, 'Iraq', '1932-10-03', '', 'IRQ', 'current', ''),
    (651, 'Egypt', '1922-02-28', '', 'EGY', 'current', ''),
    (652, 'Syria', '1946-01-01', '', 'SYR', 'current', ''),
    (660, 'Lebanon', '1944-11-22', '', 'LBN', 'current', ''),
    (663, 'Jordan', '1946-05-25', '', 'JOR', 'current', ''),
    (666, 'Israel', '1948-05-14', '', 'ISR', 'current', ''),
    (670, 'Saudi Arabia', '1932-09-23', '', 'SAU', 'current', ''),
    (678, 'Yemen (Arab Republic of Yemen)', '1918-10-30', '', 'YEM', 'current', 'GW: North Yemen until 1990, unified Yemen since.'),
    (680, "Yemen, People's Republic of", '1967-11-30', '1990-05-21', 'YEM', 'merged', 'South Yemen, merged into Yemen 22 May 1990 (GW 680 ends 21 May 1990).'),
    (690, 'Kuwait', '1961-06-19', '', 'KWT', 'current', ''),
    (692, 'Bahrain', '1971-08-15', '', 'BHR', 'current', ''),
    (694, 'Qatar', '1971-09-03', '', 'QAT', 'current', ''),
    (696, 'United Arab Emirates', '1971-12-02', '', 'ARE', 'current', ''),
    (698, 'Oman', '1816-01-01', '', 'OMN', 'current', ''),
    (700, 'Afghanistan', '1919-05-01', '', 'AFG', 'current', ''),
    (701, 'Turkmenistan', '1991-10-27', '', 'TKM', 'current', ''),
    (702, 'Tajikistan', '1991-09-09', '', 'TJK', 'current', ''),
    (703, 'Kyrgyz Republic', '1991-08-31', '', 'KGZ', 'current', ''),
    (704, 'Uzbekistan', '1991-08-31', '', 'UZB', 'current', ''),
    (705, 'Kazakhstan', '1991-12-16', '', 'KAZ', 'current', ''),
    (710, 'China', '1816-01-01', '', 'CHN', 'current', ''),
    (711, 'Tibet', '1913-01-01', '1950-10-01', '', 'none', 'Tibet 1913-1950, annexed by China; no ISO code.'),
    (712, 'Mongolia', '1921-03-13', '', 'MNG', 'current', ''),
    (713, 'Taiwan', '1949-12-08', '', 'TWN', 'current', ''),
    (731, "Korea, People's Republic of", '1948-09-09', '', 'PRK', 'current', ''),
    (732, 'Korea, Republic of', '1948-08-15', '', 'KOR', 'current', ''),
    (740, 'Japan', '1816-01-01', '', 'JPN', 'current', ''),
    (750, 'India', '1947-08-15', '', 'IND', 'current', ''),
    (760, 'Bhutan', '1949-01-01', '', 'BTN', 'current', ''),
    (770, 'Pakistan', '1947-08-14', '', 'PAK', 'current', ''),
    (771, 'Bangladesh', '1971-12-16', '', 'BGD', 'current', ''),
    (775, 'Myanmar (Burma)', '1948-01-04', '', 'MMR', 'current', ''),
    (780, 'Sri Lanka (Ceylon)', '1948-02-04', '', 'LKA', 'current', ''),
    (781, 'Maldives', '1965-05-26', '', 'MDV', 'current', ''),
    (790, 'Nepal', '1816-01-01', '', 'NPL', 'current', ''),
    (800, 'Thailand', '1816-01-01', '', 'THA', 'current', ''),
    (811, 'Cambodia (Kampuchea)', '1953-11-09', '', 'KHM', 'current', ''),
    (812, 'Laos', '1954-05-01', '', 'LAO', 'current', ''),
    (816, 'Vietnam, Democratic Republic of', '1954-05-01', '', 'VNM', 'current', 'GW: North Vietnam until 1976, Vietnam since.'),
    (817, 'Vietnam, Republic of', '1954-05-01', '1975-04-30', 'VNM', 'merged', 'South Vietnam, until 30 Apr 1975; merged into Vietnam 1976.'),
    (820, 'Malaysia', '1957-08-31', '', 'MYS', 'current', ''),
    (830, 'Singapore', '1965-08-09', '', 'SGP', 'current', ''),
    (835, 'Brunei', '1984-01-01', '', 'BRN', 'current', ''),
    (840, 'Philippines', '1946-07-04', '', 'PHL', 'current', ''),
    (850, 'Indonesia', '1945-08-17', '', 'IDN', 'current', ''),
    (860, 'East Timor', '2002-05-20', '', 'TLS', 'current', ''),
    (900, 'Australia', '1901-01-01', '', 'AUS', 'current', ''),
    (910, 'Papua New Guinea', '1975-09-16', '', 'PNG', 'current', ''),
    (920, 'New Zealand', '1907-09-01', '', 'NZL', 'current', ''),
    (935, 'Vanuatu', '1980-06-30', '', 'VUT', 'current', ''),
    (940, 'Solomon Islands', '1978-07-07', '', 'SLB', 'current', ''),
    (950, 'Fiji', '1970-10-10', '', 'FJI', 'current', ''),
    (970, 'Kiribati', '1979-07-12', '', 'KIR', 'current', ''),
    (971, 'Nauru', '1968-12-31', '', 'NRU', 'current', ''),
    (972, 'Tonga', '1970-06-04', '', 'TON', 'current', ''),
    (973, 'Tuvalu', '1978-10-01', '', 'TUV', 'current', ''),
    (983, 'Marshall Islands', '1986-10-21', '', 'MHL', 'current', ''),
    (986, 'Palau', '1994-10-01', '', 'PLW', 'current', ''),
    (987, 'Federated States of Micronesia', '1986-11-03', '', 'FSM', 'current', ''),
    (990, 'Samoa/Western Samoa', '1962-01-01', '', 'WSM', 'current', ''),
]

# ---------------------------------------------------------------------------
# 7. UCDP country names with UCDP's numeric id (= GW number).
#    GED: every (country, country_id) pair in the 1,000-event GED 23.1 sample
#    shipped by UCDP's own CRAN package uncertainUCDP (github.com/cran/
#    uncertainUCDP@5307652 data/ucdpged.rda).
#    ACD: location names of the UCDP/PRIO Armed Conflict Dataset 25.1 not in
#    the GED sample (gwno_loc from single-location rows; where a name only
#    occurs in multi-location rows the GW number was matched by name).
# ---------------------------------------------------------------------------
UCDP_GED = """
Afghanistan	700
Algeria	615
Angola	540
Azerbaijan	373
Bosnia-Herzegovina	346
Brazil	140
Burkina Faso	439
Burundi	516
Cambodia (Kampuchea)	811
Cameroon	471
Central African Republic	482
Chad	483
Colombia	100
Comoros	581
DR Congo (Zaire)	490
Egypt	651
Ethiopia	530
Haiti	41
India	750
Indonesia	850
Iran	630
Iraq	645
Israel	666
Ivory Coast	437
Kenya	501
Kingdom of eSwatini (Swaziland)	572
Kyrgyzstan	703
Lebanon	660
Liberia	450
Libya	620
Macedonia, FYR	343
Mali	432
Mexico	70
Mozambique	541
Myanmar (Burma)	775
Nepal	790
Niger	436
Nigeria	475
Pakistan	770
Peru	135
Philippines	840
Russia (Soviet Union)	365
Rwanda	517
Serbia (Yugoslavia)	345
Sierra Leone	451
Somalia	520
South Africa	560
South Sudan	626
Sri Lanka	780
Sudan	625
Syria	652
Tajikistan	702
Thailand	800
Turkey	640
Uganda	500
Ukraine	369
United Kingdom	200
Venezuela	101
Yemen (North Yemen)	678
"""
UCDP_ACD = [
    ("Albania", 339), ("Argentina", 160), ("Australia", 900), ("Bangladesh", 771),
    ("Benin", 434), ("Bolivia", 145), ("Brunei", 835), ("Chile", 155), ("China", 710),
    ("Congo", 484), ("Costa Rica", 94), ("Croatia", 344), ("Cuba", 40), ("Cyprus", 352),
    ("Djibouti", 522), ("Dominican Republic", 42), ("Ecuador", 130), ("El Salvador", 92),
    ("Eritrea", 531), ("France", 220), ("Gabon", 481), ("Gambia", 420), ("Georgia", 372),
    ("Ghana", 452), ("Greece", 350), ("Grenada", 55), ("Guatemala", 90), ("Guinea", 438),
    ("Guinea-Bissau", 404), ("Honduras", 91), ("Hungary", 310), ("Jordan", 663),
    ("Kuwait", 690), ("Laos", 812), ("Lesotho", 570), ("Madagascar (Malagasy)", 580),
    ("Malaysia", 820), ("Mauritania", 435), ("Moldova", 359), ("Morocco", 600),
    ("Netherlands", 210), ("Nicaragua", 93), ("North Korea", 731), ("North Macedonia", 343),
    ("Oman", 698), ("Panama", 95), ("Papua New Guinea", 910), ("Paraguay", 150),
    ("Romania", 360), ("Saudi Arabia", 670), ("Senegal", 433), ("South Korea", 732),
    ("South Vietnam", 817), ("South Yemen", 680), ("Spain", 230), ("Suriname", 115),
    ("Taiwan", 713), ("Tanzania", 510), ("Togo", 461), ("Trinidad and Tobago", 52),
    ("Tunisia", 616), ("United States of America", 2), ("Uruguay", 165), ("Uzbekistan", 704),
    ("Vietnam (North Vietnam)", 816), ("Zimbabwe (Rhodesia)", 552),
]
# UCDP names for units that no longer exist, mapped per README's rule.
UCDP_NOTES = {
    "Russia (Soviet Union)": "UCDP's name for the Soviet Union 1946-1991 and Russia since (country_id 365); mapped to RUS. GED files 1989-91 events in other Soviet republics under it too.",
    "Serbia (Yugoslavia)": "UCDP's name for Yugoslavia, then the FRY/Serbia and Montenegro, then Serbia (country_id 345); mapped to SRB. The GED sample has 1991 events in Croatia and 1998-99 events in Kosovo under it.",
    "Yemen (North Yemen)": "UCDP's name for North Yemen before 1990 and unified Yemen since (country_id 678); mapped to YEM.",
    "South Yemen": "UCDP's name for South Yemen (People's Democratic Republic, 680) until it merged into Yemen on 22 May 1990; mapped to YEM.",
    "South Vietnam": "UCDP's name for the Republic of Vietnam (817) until 1975; mapped to VNM.",
    "Vietnam (North Vietnam)": "UCDP's name for North Vietnam before 1976 and Vietnam since (816); mapped to VNM.",
    "DR Congo (Zaire)": "UCDP's name for the Democratic Republic of the Congo (490), formerly Zaire.",
    "Cambodia (Kampuchea)": "UCDP's name for Cambodia (811).",
    "Myanmar (Burma)": "UCDP's name for Myanmar (775).",
    "Madagascar (Malagasy)": "UCDP's name for Madagascar (580).",
    "Zimbabwe (Rhodesia)": "UCDP's name for Zimbabwe (552), formerly Rhodesia.",
    "Kingdom of eSwatini (Swaziland)": "UCDP's name for Eswatini (572).",
    "Macedonia, FYR": "UCDP's name for North Macedonia (343) in GED 23.1; UCDP/PRIO ACD 25.1 writes North Macedonia.",
    "Israel": "UCDP files events in the Gaza Strip and the West Bank under Israel (666), with adm_1 'Gaza Strip' / 'West Bank'.",
}

# ---------------------------------------------------------------------------
# 8. ACLED country names: every name in acled_countries of ACLED's R package
#    acledR (github.com/dtacled/acledR@1e05ba9 data/acled_countries.rda, 243
#    names). ACLED files Western Sahara under Morocco: there is no ACLED name
#    for it.
# ---------------------------------------------------------------------------
ACLED_COUNTRIES = """
Afghanistan
Albania
Algeria
American Samoa
Andorra
Angola
Anguilla
Antarctica
Antigua and Barbuda
Argentina
Armenia
Aruba
Australia
Austria
Azerbaijan
Bahamas
Bahrain
Bailiwick of Guernsey
Bailiwick of Jersey
Bangladesh
Barbados
Belarus
Belgium
Belize
Benin
Bermuda
Bhutan
Bolivia
Bosnia and Herzegovina
Botswana
Brazil
British Indian Ocean Territory
British Virgin Islands
Brunei
Bulgaria
Burkina Faso
Burundi
Cambodia
Cameroon
Canada
Cape Verde
Caribbean Netherlands
Cayman Islands
Central African Republic
Chad
Chile
China
Christmas Island
Cocos (Keeling) Islands
Colombia
Comoros
Cook Islands
Costa Rica
Croatia
Cuba
Curacao
Cyprus
Czech Republic
Democratic Republic of Congo
Denmark
Djibouti
Dominica
Dominican Republic
East Timor
Ecuador
Egypt
El Salvador
Equatorial Guinea
Eritrea
Estonia
eSwatini
Ethiopia
Falkland Islands
Faroe Islands
Fiji
Finland
France
French Guiana
French Polynesia
Gabon
Gambia
Georgia
Germany
Ghana
Gibraltar
Greece
Greenland
Grenada
Guadeloupe
Guam
Guatemala
Guinea
Guinea-Bissau
Guyana
Haiti
Heard Island and McDonald Islands
Honduras
Hungary
Iceland
India
Indonesia
Iran
Iraq
Ireland
Isle of Man
Israel
Italy
Ivory Coast
Jamaica
Japan
Jordan
Kazakhstan
Kenya
Kiribati
Kosovo
Kuwait
Kyrgyzstan
Laos
Latvia
Lebanon
Lesotho
Liberia
Libya
Liechtenstein
Lithuania
Luxembourg
Madagascar
Malawi
Malaysia
Maldives
Mali
Malta
Marshall Islands
Martinique
Mauritania
Mauritius
Mayotte
Mexico
Micronesia
Moldova
Monaco
Mongolia
Montenegro
Montserrat
Morocco
Mozambique
Myanmar
Namibia
Nauru
Nepal
Netherlands
New Caledonia
New Zealand
Nicaragua
Niger
Nigeria
Niue
Norfolk Island
North Korea
North Macedonia
Northern Mariana Islands
Norway
Oman
Pakistan
Palau
Palestine
Panama
Papua New Guinea
Paraguay
Peru
Philippines
Pitcairn
Poland
Portugal
Puerto Rico
Qatar
Republic of Congo
Reunion
Romania
Russia
Rwanda
Saint Helena, Ascension and Tristan da Cunha
Saint Kitts and Nevis
Saint Lucia
Saint Pierre and Miquelon
Saint Vincent and the Grenadines
Saint-Barthelemy
Saint-Martin
Samoa
San Marino
Sao Tome and Principe
Saudi Arabia
Senegal
Serbia
Seychelles
Sierra Leone
Singapore
Sint Maarten
Slovakia
Slovenia
Solomon Islands
Somalia
South Africa
South Georgia and the South Sandwich Islands
South Korea
South Sudan
Spain
Sri Lanka
Sudan
Suriname
Sweden
Switzerland
Syria
Taiwan
Tajikistan
Tanzania
Thailand
Togo
Tokelau
Tonga
Trinidad and Tobago
Tunisia
Turkey
Turkmenistan
Turks and Caicos Islands
Tuvalu
Uganda
Ukraine
United Arab Emirates
United Kingdom
United States
United States Minor Outlying Islands
Uruguay
Uzbekistan
Vanuatu
Vatican City
Venezuela
Vietnam
Virgin Islands, U.S.
Wallis and Futuna
Yemen
Zambia
Zimbabwe
"""
# ACLED names that neither a canonical name nor a pycountry name resolves.
ACLED_TO_ISO3 = {
    "Bailiwick of Guernsey": "GGY",
    "Bailiwick of Jersey": "JEY",
    "Caribbean Netherlands": "BES",
    "Democratic Republic of Congo": "COD",
    "Republic of Congo": "COG",
    "Palestine": "PSE",
    "Pitcairn": "PCN",
    "Saint-Barthelemy": "BLM",
    "Saint-Martin": "MAF",
    "Curacao": "CUW",
    "Reunion": "REU",
    "Kosovo": "XKX",
}
ACLED_NOTES = {
    "Kosovo": "ACLED export: iso = 0 (no ISO numeric code); ACLED event_id_cnty prefix XKX.",
    "Palestine": "ACLED's name for the West Bank and Gaza (iso 275).",
    "Democratic Republic of Congo": "ACLED's name for COD (iso 180).",
    "Republic of Congo": "ACLED's name for COG (iso 178).",
}
# (country, iso) pairs of the ACLED export sample acled_old_deletion_dummy in
# acledR. Used only to check that ACLED's `iso` is the ISO 3166-1 numeric code.
ACLED_EXPORT_ISO = """
Afghanistan	4
Albania	8
Algeria	12
Angola	24
Antigua and Barbuda	28
Argentina	32
Armenia	51
Australia	36
Austria	40
Azerbaijan	31
Bahrain	48
Bailiwick of Guernsey	831
Bangladesh	50
Barbados	52
Belarus	112
Belgium	56
Benin	204
Bermuda	60
Bolivia	68
Bosnia and Herzegovina	70
Brazil	76
Bulgaria	100
Burkina Faso	854
Burundi	108
Cambodia	116
Cameroon	120
Canada	124
Cape Verde	132
Central African Republic	140
Chad	148
Chile	152
China	156
Colombia	170
Comoros	174
Costa Rica	188
Croatia	191
Cuba	192
Curacao	531
Cyprus	196
Czech Republic	203
Democratic Republic of Congo	180
Denmark	208
Djibouti	262
Dominican Republic	214
East Timor	626
Ecuador	218
Egypt	818
El Salvador	222
Estonia	233
Ethiopia	231
Finland	246
France	250
Gabon	266
Gambia	270
Georgia	268
Germany	276
Ghana	288
Greece	300
Greenland	304
Guadeloupe	312
Guatemala	320
Guinea	324
Guinea-Bissau	624
Guyana	328
Haiti	332
Honduras	340
Hungary	348
India	356
Indonesia	360
Iran	364
Iraq	368
Ireland	372
Israel	376
Italy	380
Ivory Coast	384
Jamaica	388
Japan	392
Kazakhstan	398
Kenya	404
Kosovo	0
Kuwait	414
Kyrgyzstan	417
Latvia	428
Lebanon	422
Lesotho	426
Liberia	430
Libya	434
Lithuania	440
Luxembourg	442
Madagascar	450
Malawi	454
Malaysia	458
Maldives	462
Mali	466
Malta	470
Martinique	474
Mauritania	478
Mauritius	480
Mexico	484
Moldova	498
Mongolia	496
Montenegro	499
Morocco	504
Mozambique	508
Myanmar	104
Namibia	516
Nepal	524
Netherlands	528
New Zealand	554
Nicaragua	558
Niger	562
Nigeria	566
North Korea	408
North Macedonia	807
Norway	578
Pakistan	586
Palestine	275
Panama	591
Papua New Guinea	598
Paraguay	600
Peru	604
Philippines	608
Poland	616
Portugal	620
Puerto Rico	630
Reunion	638
Romania	642
Russia	643
Rwanda	646
Saint Lucia	662
Saint Pierre and Miquelon	666
Saudi Arabia	682
Senegal	686
Serbia	688
Singapore	702
Slovakia	703
Slovenia	705
Solomon Islands	90
Somalia	706
South Africa	710
South Korea	410
South Sudan	728
Spain	724
Sri Lanka	144
Sudan	729
Suriname	740
Sweden	752
Switzerland	756
Syria	760
Taiwan	158
Tanzania	834
Thailand	764
Trinidad and Tobago	780
Tunisia	788
Turkey	792
Turks and Caicos Islands	796
Uganda	800
Ukraine	804
United Arab Emirates	784
United Kingdom	826
United States	840
Uruguay	858
Uzbekistan	860
Venezuela	862
Vietnam	704
Yemen	887
Zambia	894
Zimbabwe	716
eSwatini	748
"""

# ---------------------------------------------------------------------------
# 9. Canonical display names: pycountry common_name, else name, except these
#    (a plain short English name a journalist would write).
# ---------------------------------------------------------------------------
NAME_OVERRIDES = {
    "ATF": "French Southern and Antarctic Lands",
    "BES": "Caribbean Netherlands",
    "BHS": "Bahamas",
    "BRN": "Brunei",
    "CIV": "Ivory Coast",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "CZE": "Czech Republic",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "MAC": "Macau",
    "MAF": "Saint Martin",
    "PCN": "Pitcairn Islands",
    "PSE": "Palestinian Territories",
    "RUS": "Russia",
    "SHN": "Saint Helena",
    "SJM": "Svalbard and Jan Mayen",
    "SWZ": "Eswatini",
    "SXM": "Sint Maarten",
    "TLS": "East Timor",
    "TUR": "Turkey",
    "UMI": "US Minor Outlying Islands",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "US Virgin Islands",
}
KOSOVO = {"iso3": "XKX", "iso2": "XK", "iso_numeric": "", "name": "Kosovo"}

# pycountry historic_countries (ISO 3166-3) whose unit continues in, or merged
# whole into, one present state. Others (CSK, YUG, ANT, GEL, PCI, NTZ, ...) are
# left out: no single successor.
ISO_HISTORIC_SUCCESSOR = {
    "AFI": ("DJI", "French Afars and Issas, Djibouti before independence in 1977."),
    "BUR": ("MMR", "Burma, ISO name until 1989."),
    "BYS": ("BLR", "Byelorussian SSR, Belarus before 1991."),
    "DDR": ("DEU", "East Germany, merged into Germany 3 Oct 1990."),
    "DHY": ("BEN", "Dahomey, Benin before 1975."),
    "HVO": ("BFA", "Upper Volta, Burkina Faso before 1984."),
    "NHB": ("VUT", "New Hebrides, Vanuatu before 1980."),
    "RHO": ("ZWE", "Southern Rhodesia, Zimbabwe before 1980."),
    "SCG": ("SRB", "Serbia and Montenegro 2003-2006; mapped to Serbia, the continuing state."),
    "SUN": ("RUS", "Soviet Union; mapped to Russia, its continuing state. Events in other Soviet republics before 1992 will read RUS."),
    "TMP": ("TLS", "East Timor, ISO name before 2002."),
    "VDR": ("VNM", "North Vietnam, merged into Vietnam 1976."),
    "YMD": ("YEM", "South Yemen, merged into Yemen 22 May 1990."),
    "ZAR": ("COD", "Zaire, the Democratic Republic of the Congo 1971-1997."),
}

# ---------------------------------------------------------------------------
# 10. Spellings seen in news copy (hand-kept). Each is checked to resolve to
#     one ISO unit; where the spelling covers only part of it, the note says.
# ---------------------------------------------------------------------------
COMMON_NAMES = [
    # (name, iso3, note)
    ("America", "USA", ""),
    ("U.S.", "USA", ""),
    ("US", "USA", "Also the USA's ISO alpha-2 and FIPS code."),
    ("USA", "USA", "Also the USA's ISO alpha-3 code."),
    ("United States of America", "USA", ""),
    ("Britain", "GBR", ""),
    ("Great Britain", "GBR", "Strictly the island; used for the United Kingdom in news copy."),
    ("U.K.", "GBR", ""),
    ("UK", "GBR", "Also the United Kingdom's FIPS code."),
    ("UAE", "ARE", ""),
    ("DRC", "COD", ""),
    ("DR Congo", "COD", ""),
    ("Congo-Kinshasa", "COD", ""),
    ("Zaire", "COD", "Name of the Democratic Republic of the Congo 1971-1997."),
    ("Congo-Brazzaville", "COG", ""),
    ("Burma", "MMR", ""),
    ("Swaziland", "SWZ", "Name of Eswatini until 2018."),
    ("Macedonia", "MKD", "Name of North Macedonia until 2019 (not the Greek region)."),
    ("FYROM", "MKD", "Former Yugoslav Republic of Macedonia, name used until 2019."),
    ("Czechia", "CZE", ""),
    ("Türkiye", "TUR", ""),
    ("Turkiye", "TUR", ""),
    ("Cote d'Ivoire", "CIV", ""),
    ("Timor-Leste", "TLS", ""),
    ("Cabo Verde", "CPV", ""),
    ("Vatican", "VAT", ""),
    ("Holy See", "VAT", ""),
    ("Bosnia", "BIH", ""),
    ("Palestine", "PSE", ""),
    ("State of Palestine", "PSE", ""),
    ("Occupied Palestinian Territory", "PSE", ""),
    ("Palestinian territory", "PSE", ""),
    ("Gaza", "PSE", "Part of the Palestinian Territories (FIPS GZ). UCDP files Gaza events under Israel."),
    ("Gaza Strip", "PSE", "Part of the Palestinian Territories (FIPS GZ). UCDP files Gaza events under Israel."),
    ("West Bank", "PSE", "Part of the Palestinian Territories (FIPS WE). UCDP files West Bank events under Israel."),
    ("Soviet Union", "RUS", "Mapped to Russia, the continuing state; events elsewhere in the USSR before 1992 will read RUS."),
    ("USSR", "RUS", "Mapped to Russia, the continuing state; events elsewhere in the USSR before 1992 will read RUS."),
    ("Federal Republic of Yugoslavia", "SRB", "Serbia and Montenegro 1992-2006; mapped to Serbia, the continuing state."),
    ("Serbia and Montenegro", "SRB", "2003-2006; mapped to Serbia, the continuing state."),
    ("East Germany", "DEU", "Merged into Germany 3 Oct 1990."),
    ("West Germany", "DEU", "Germany before 3 Oct 1990."),
    ("North Yemen", "YEM", "Merged into Yemen 22 May 1990."),
    ("South Yemen", "YEM", "Merged into Yemen 22 May 1990."),
    ("North Vietnam", "VNM", "Merged into Vietnam 1976."),
    ("South Vietnam", "VNM", "Merged into Vietnam 1976."),
    ("Rhodesia", "ZWE", ""),
    ("Kampuchea", "KHM", ""),
    ("Ceylon", "LKA", ""),
    ("Upper Volta", "BFA", ""),
    ("Dahomey", "BEN", ""),
    ("Republic of Korea", "KOR", ""),
    ("Korea, South", "KOR", ""),
    ("Korea, North", "PRK", ""),
    ("DPRK", "PRK", ""),
    ("Lao PDR", "LAO", ""),
]

# Extra notes for spellings that are easy to misread.
ALIAS_NOTES = {
    "Congo": "Alone, 'Congo' is the Republic of the Congo (Brazzaville) in ISO, UCDP, Gleditsch-Ward and GDELT; news copy often means the DRC: check the context.",
    "Virgin Islands": "GDELT/Factbook label for the US Virgin Islands (FIPS VQ); the British Virgin Islands are VI in FIPS.",
    "Korea, People's Republic of": "Gleditsch-Ward's label for North Korea (GW 731).",
    "Macedonia": "Name of North Macedonia until 2019 (not the Greek region).",
}

COLUMNS_COUNTRIES = ["iso3", "iso2", "iso_numeric", "name", "fips", "gwno"]
COLUMNS_NAMES = ["name", "iso3", "used_by", "source", "note"]
COLUMNS_FIPS = ["fips", "iso3", "name", "note"]
USED_BY_ORDER = ["acled", "ucdp", "gdelt", "gw", "iso", "geonames", "factbook", "common"]


def norm(name: str) -> str:
    """The matching key: case-folded, spaces trimmed and collapsed."""
    return " ".join(name.split()).casefold()


def tsv(block: str) -> list[list[str]]:
    return [line.split("\t") for line in block.strip("\n").split("\n") if line.strip()]


def load_pycountry():
    try:
        import pycountry
        from importlib.metadata import version
    except ImportError:
        sys.exit("needs pycountry: pip install pycountry==" + PYCOUNTRY_VERSION)
    if version("pycountry") != PYCOUNTRY_VERSION:
        sys.exit(f"needs pycountry=={PYCOUNTRY_VERSION} (found {version('pycountry')}): "
                 "another version may change names; update PYCOUNTRY_VERSION and review the diff")
    return pycountry


def build_countries(pycountry):
    geonames = {iso3: fips for iso3, fips, _name in tsv(GEONAMES)}
    rows = {}
    for c in pycountry.countries:
        name = NAME_OVERRIDES.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
        rows[c.alpha_3] = {"iso3": c.alpha_3, "iso2": c.alpha_2, "iso_numeric": c.numeric,
                           "name": name, "fips": geonames.get(c.alpha_3, ""), "gwno": ""}
    rows["XKX"] = dict(KOSOVO, fips=geonames["XKX"], gwno="")
    # Palestine has two FIPS codes (GZ, WE): both go to fips_codes.csv.
    rows["PSE"]["fips"] = ""
    for gwno, _name, _start, _end, iso3, role, _note in GW_STATES:
        if role in ("current", "code-only"):
            assert not rows[iso3]["gwno"], (iso3, gwno)
            rows[iso3]["gwno"] = str(gwno)
    return rows


def build_fips(countries):
    gdelt = OrderedDict((code, label) for code, label in tsv(GDELT_FIPS))
    factbook = {}
    for gec, iso3, name in tsv(FACTBOOK):
        if gec != "-":
            factbook.setdefault(gec, name)
    country_fips = {r["fips"]: iso3 for iso3, r in countries.items() if r["fips"]}
    rows = {}
    for code, label in gdelt.items():
        if code in country_fips:
            continue
        if code not in FIPS_TERRITORIES:
            raise SystemExit(f"GDELT FIPS code {code} ({label}) is neither a country's code nor in FIPS_TERRITORIES")
        iso3, note = FIPS_TERRITORIES[code]
        rows[code] = {"fips": code, "iso3": iso3, "name": label, "note": note}
    for code in FIPS_TERRITORIES:
        assert code in rows, f"FIPS_TERRITORIES has {code}, which GDELT does not use"
    for code, label, iso3, note, _src in HISTORICAL_FIPS:
        assert code not in gdelt and code not in country_fips and code not in rows, code
        rows[code] = {"fips": code, "iso3": iso3, "name": label, "note": note}
    # every country FIPS code must be a real FIPS code: in GDELT's list, or the
    # Factbook's (UC Curacao, NN Sint Maarten postdate GDELT's list).
    for code, iso3 in country_fips.items():
        assert code in gdelt or code in factbook, (code, iso3)
    return rows


class Names:
    def __init__(self, countries):
        self.countries = countries
        self.canonical = {norm(r["name"]): iso3 for iso3, r in countries.items()}
        assert len(self.canonical) == len(countries), "two countries share a name"
        self.rows: dict[str, dict] = {}

    def add(self, name, iso3, used_by, source, note=""):
        name = " ".join(name.split())
        if not name or not iso3:
            return
        assert iso3 in self.countries, (name, iso3)
        key = norm(name)
        if self.canonical.get(key) == iso3:
            return  # the canonical name itself: already in countries.csv
        if key in self.canonical:
            raise SystemExit(f"alias {name!r} -> {iso3} is the canonical name of {self.canonical[key]}")
        row = self.rows.get(key)
        if row is None:
            self.rows[key] = {"name": name, "iso3": iso3, "used_by": [used_by],
                              "source": [source], "note": [note] if note else []}
            return
        if row["iso3"] != iso3:
            raise SystemExit(f"alias {name!r}: {row['iso3']} vs {iso3}")
        if used_by not in row["used_by"]:
            row["used_by"].append(used_by)
        if source not in row["source"]:
            row["source"].append(source)
        if note and note not in row["note"]:
            row["note"].append(note)

    def resolve(self, name):
        """iso3 for a name already known (canonical or added), else None."""
        key = norm(name)
        if key in self.canonical:
            return self.canonical[key]
        row = self.rows.get(key)
        return row["iso3"] if row else None

    def table(self):
        out = []
        for row in self.rows.values():
            used_by = sorted(row["used_by"], key=USED_BY_ORDER.index)
            out.append({"name": row["name"], "iso3": row["iso3"], "used_by": ";".join(used_by),
                        "source": " | ".join(row["source"]), "note": " ".join(row["note"])})
        out.sort(key=lambda r: (norm(r["name"]), r["name"], r["iso3"]))
        return out


def build_names(pycountry, countries):
    names = Names(countries)
    # ISO 3166-1 names (pycountry): name, official name, common name.
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(value, c.alpha_3, "iso", SRC_PYCOUNTRY)
    # ISO 3166-3 names of former countries with one successor.
    for c in pycountry.historic_countries:
        if c.alpha_3 in ISO_HISTORIC_SUCCESSOR:
            iso3, note = ISO_HISTORIC_SUCCESSOR[c.alpha_3]
            names.add(c.name, iso3, "iso", SRC_PYCOUNTRY + " historic_countries",
                      f"ISO 3166-3 former code {c.alpha_3}: {note}")
    # GDELT labels.
    for code, label in tsv(GDELT_FIPS):
        if code in GDELT_BAD_LABELS:
            continue
        iso3 = next((i for i, r in countries.items() if r["fips"] == code), None)
        if iso3:
            names.add(label, iso3, "gdelt", SRC_GDELT, f"GDELT's label for FIPS {code}.")
    # GDELT labels of FIPS territory codes inside one ISO unit (GZ, WE, AT ...).
    for code, iso3, _note in ((c, *FIPS_TERRITORIES[c]) for c in FIPS_TERRITORIES):
        if iso3:
            label = dict(tsv(GDELT_FIPS))[code]
            names.add(label, iso3, "gdelt", SRC_GDELT,
                      f"GDELT's label for FIPS {code}, an area inside {iso3} (see fips_codes.csv).")
    # GeoNames names (ISO rows; SCG per README; ANT has no successor).
    for iso3, _fips, name in tsv(GEONAMES):
        if iso3 == "SCG":
            names.add(name, "SRB", "geonames", SRC_GEONAMES,
                      "GeoNames' historical row CS/SCG (2003-2006); mapped to Serbia, the continuing state.")
        elif iso3 in countries:
            names.add(name, iso3, "geonames", SRC_GEONAMES)
    # CIA Factbook names of ISO rows.
    for _gec, iso3, name in tsv(FACTBOOK):
        if iso3 in countries:
            names.add(name, iso3, "factbook", SRC_FACTBOOK)
    # Gleditsch-Ward names.
    for gwno, name, start, end, iso3, role, note in GW_STATES:
        if role in ("current", "merged"):
            names.add(name, iso3, "gw", SRC_GW, note or f"GW {gwno}.")
    # UCDP names.
    gwno_of = {r["gwno"]: iso3 for iso3, r in countries.items() if r["gwno"]}
    merged_gw = {str(g): iso3 for g, _n, _s, _e, iso3, role, _x in GW_STATES if role == "merged"}
    for name, cid in tsv(UCDP_GED) + [(n, str(g)) for n, g in UCDP_ACD]:
        iso3 = gwno_of.get(cid) or merged_gw.get(cid)
        assert iso3, (name, cid)
        src = SRC_GED if (name, cid) in {tuple(x) for x in tsv(UCDP_GED)} else SRC_ACD
        names.add(name, iso3, "ucdp", src, UCDP_NOTES.get(name, f"UCDP country_id {cid}."))
    # ACLED names.
    acled = [line[0] for line in tsv(ACLED_COUNTRIES)]
    for name in acled:
        iso3 = ACLED_TO_ISO3.get(name) or names.resolve(name)
        if not iso3:
            raise SystemExit(f"ACLED name {name!r} does not resolve; add it to ACLED_TO_ISO3")
        names.add(name, iso3, "acled", SRC_ACLED, ACLED_NOTES.get(name, ""))
    for name, iso in tsv(ACLED_EXPORT_ISO):
        iso3 = ACLED_TO_ISO3.get(name) or names.resolve(name)
        expected = countries[iso3]["iso_numeric"] or "000"
        assert int(iso) == int(expected), (name, iso, iso3, expected)
    # Spellings from news copy.
    for name, iso3, note in COMMON_NAMES:
        names.add(name, iso3, "common", SRC_COMMON, note)
    for name, note in ALIAS_NOTES.items():
        row = names.rows[norm(name)]
        if note not in row["note"]:
            row["note"].insert(0, note)
    return names.table()


def render(rows, columns) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build():
    pycountry = load_pycountry()
    countries = build_countries(pycountry)
    fips = build_fips(countries)
    names = build_names(pycountry, countries)
    all_fips = [r["fips"] for r in countries.values() if r["fips"]] + list(fips)
    assert len(all_fips) == len(set(all_fips)), "a FIPS code is used twice"
    gwnos = [r["gwno"] for r in countries.values() if r["gwno"]]
    assert len(gwnos) == len(set(gwnos)), "a GW number is used twice"
    return {
        "countries.csv": render([countries[k] for k in sorted(countries)], COLUMNS_COUNTRIES),
        "country_names.csv": render(names, COLUMNS_NAMES),
        "fips_codes.csv": render([fips[k] for k in sorted(fips)], COLUMNS_FIPS),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files on disk instead of writing them")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    tables = build()
    if args.check:
        stale = [n for n, text in tables.items()
                 if not (args.out / n).exists() or (args.out / n).read_bytes() != text.encode("utf-8")]
        for n in stale:
            print(f"{args.out / n} differs from what the script writes", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for n, text in tables.items():
        (args.out / n).write_bytes(text.encode("utf-8"))
        print(f"wrote {args.out / n} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

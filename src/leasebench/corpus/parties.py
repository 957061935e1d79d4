"""Party generators: companies, people and government bodies, with addresses (US, UK, CN).

Names are drawn so that a split owns them: :func:`party` redraws until the name's CRC32
parity matches the split (``train`` even, ``holdout`` odd), so no party name is shared
between the train and hold-out documents of any seed.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

# fmt: off
_STEMS = (
    "Acme", "Alder", "Apex", "Arbor", "Ardent", "Ashford", "Aspen", "Atlas", "Aurora", "Bayview",
    "Beacon", "Birch", "Blackstone", "Bluewater", "Boulder", "Bridgeport", "Brightwater",
    "Cambridge", "Canyon", "Cardinal", "Cascade", "Cedar", "Centennial", "Chesapeake", "Clearview",
    "Cobalt", "Compass", "Copperleaf", "Cornerstone", "Crescent", "Crown", "Cypress", "Delta",
    "Eastgate", "Elm", "Emerald", "Evergreen", "Fairview", "Falcon", "Foxhall", "Frontier",
    "Garnet", "Gateway", "Glenwood", "Granite", "Greenfield", "Harbor", "Hawthorne", "Heritage",
    "Highland", "Horizon", "Hudson", "Ironwood", "Juniper", "Keystone", "Lakeshore", "Landmark",
    "Laurel", "Liberty", "Lincoln", "Madison", "Magnolia", "Maple", "Meridian", "Mesa", "Midland",
    "Millbrook", "Monarch", "Northgate", "Northstar", "Oakmont", "Orchard", "Pacific", "Paragon",
    "Parkside", "Pinnacle", "Pioneer", "Prairie", "Quarry", "Redwood", "Ridgeline", "Riverbend",
    "Rockport", "Sagebrush", "Sentinel", "Sequoia", "Sierra", "Silverline", "Southport",
    "Sterling", "Stonebridge", "Summit", "Sycamore", "Tamarack", "Terrace", "Tidewater", "Trident",
    "Union", "Valley", "Vanguard", "Vista", "Walnut", "Westbrook", "Whitehall", "Willow",
    "Windsor",
)
_SECOND = (
    "Park", "Point", "Ridge", "Creek", "Hill", "Bay", "Square", "Plaza", "Center", "Commons",
    "Gate", "Crossing", "Tower", "Place", "Yards", "Field", "Station", "Landing", "Court",
    "Heights",
)
_LANDLORD_KIND = (
    "Properties", "Realty", "Holdings", "Partners", "Investors", "Ventures", "Associates",
    "Development", "Real", "Estate", "Fund", "Office", "Trust", "Industrial", "Land", "Company",
    "Equities", "Capital",
)
_TENANT_KIND = (
    "Technologies", "Therapeutics", "Systems", "Software", "Networks", "Biosciences", "Medical",
    "Logistics", "Foods", "Brands", "Energy", "Semiconductor", "Analytics", "Pharmaceuticals",
    "Robotics", "Solutions", "Labs", "Communications", "Devices", "Retail", "Apparel",
    "Diagnostics", "Instruments",
)
# fmt: on
_US_ENTITY = (
    ("LLC", "limited liability company"),
    ("L.L.C.", "limited liability company"),
    ("Inc.", "corporation"),
    ("Corporation", "corporation"),
    ("Corp.", "corporation"),
    ("L.P.", "limited partnership"),
    ("LP", "limited partnership"),
    ("Company", "corporation"),
)
# fmt: off
_STATES: tuple[str, ...] = (
    "Delaware", "California", "Nevada", "Texas", "Massachusetts", "Washington", "Maryland",
    "Florida", "Colorado", "Illinois", "Virginia", "Georgia", "Oregon", "Arizona", "Minnesota",
)
# fmt: on
_STATES = (*_STATES, "New York", "North Carolina", "New Jersey")
# fmt: off
_FIRST = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark",
    "Margaret", "Steven", "Sandra", "Paul", "Ashley", "Andrew", "Emily", "Joshua", "Donna",
    "Kenneth", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Edward",
    "Deborah", "Ronald", "Laura", "Timothy", "Rebecca", "Ravi", "Priya", "Carlos", "Sofia",
    "Ahmed", "Fatima", "Hiroshi", "Yuki", "Olga", "Pierre", "Ingrid", "Mateo", "Aisha",
)
_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
    "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Kowalski", "O'Brien", "Fitzgerald",
    "Lindqvist", "Okafor", "Nakamura", "Rossi", "Schmidt", "Dubois", "Haddad", "Novak",
)
_CN_SURNAME = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Lin", "Luo",
)
_CN_GIVEN = (
    "Wei", "Fang", "Min", "Jing", "Lei", "Qiang", "Yan", "Jun", "Hui", "Ping", "Gang", "Xin",
    "Tao", "Ming", "Hong", "Yong", "Jie", "Hua", "Bin", "Yu", "Xiaoming", "Jianguo", "Lihua",
    "Haiyan", "Zhiwei", "Yuxuan", "Zihan", "Haoran",
)
_CN_CITIES = (
    "Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou", "Suzhou", "Nanjing", "Chengdu",
    "Wuhan", "Xi'an", "Tianjin", "Dalian", "Qingdao", "Xiamen", "Harbin", "Kunming", "Changsha",
    "Hefei", "Ningbo", "Dongguan",
)
_CN_DISTRICT = (
    "Pudong New District", "Haidian District", "Nanshan District", "Tianhe District",
    "Xihu District", "Industrial Park", "Jiangning District", "High-tech Zone",
    "Economic and Technological Development Zone",
)
_CN_ROAD = (
    "Zhongshan", "Renmin", "Jiefang", "Nanjing", "Huaihai", "Binhai", "Keji", "Chuangye", "Wenhua",
    "Jianshe",
)
_CN_KIND = (
    "Technology", "Information Technology", "Biotechnology", "Trading", "Industrial",
    "Network Technology", "Culture Media", "Investment Management", "Property Management",
    "Education Technology",
)
# fmt: on
_US_CITIES = (
    ("San Jose", "California", "CA", "95"),
    ("Palo Alto", "California", "CA", "94"),
    ("Irvine", "California", "CA", "92"),
    ("Austin", "Texas", "TX", "78"),
    ("Dallas", "Texas", "TX", "75"),
    ("Boston", "Massachusetts", "MA", "02"),
    ("Cambridge", "Massachusetts", "MA", "02"),
    ("Seattle", "Washington", "WA", "98"),
    ("Denver", "Colorado", "CO", "80"),
    ("Chicago", "Illinois", "IL", "60"),
    ("Atlanta", "Georgia", "GA", "30"),
    ("Miami", "Florida", "FL", "33"),
    ("New York", "New York", "NY", "10"),
    ("Rockville", "Maryland", "MD", "20"),
    ("Reston", "Virginia", "VA", "20"),
    ("Phoenix", "Arizona", "AZ", "85"),
    ("Portland", "Oregon", "OR", "97"),
    ("Minneapolis", "Minnesota", "MN", "55"),
    ("Raleigh", "North Carolina", "NC", "27"),
    ("Las Vegas", "Nevada", "NV", "89"),
)
# fmt: off
_STREET_SUFFIX = (
    "Street", "Avenue", "Boulevard", "Drive", "Road", "Parkway", "Way", "Lane", "Court", "Place",
)
# fmt: on
_UK_TOWNS = (
    ("London", "EC2"),
    ("London", "W1"),
    ("Manchester", "M1"),
    ("Reading", "RG1"),
    ("Cambridge", "CB4"),
    ("Leeds", "LS1"),
    ("Bristol", "BS1"),
    ("Birmingham", "B3"),
    ("Edinburgh", "EH2"),
    ("Oxford", "OX4"),
    ("Milton Keynes", "MK9"),
    ("Slough", "SL1"),
)
_UK_STREETS = "High Street|Kings Road|Victoria Street|Station Road|Queen Street|Park Lane|Mill Way"
# fmt: off
_GOV = (
    "City of {city}", "County of {county}", "{city} Redevelopment Agency", "{city} Port Authority",
    "State of {state}, acting by and through its Department of General Services",
    "{city} Housing Authority", "{county} County Board of Supervisors",
)
# fmt: on


@dataclass(frozen=True)
class Party:
    """A party: ``name`` alone, plus an optional descriptor (``a Delaware corporation``)."""

    name: str
    descriptor: str = ""
    address: str = ""
    kind: str = "company"


def split_owns(name: str, split: str) -> bool:
    """Whether ``name`` may appear in ``split`` (``all`` owns every name)."""
    if split not in ("train", "holdout"):
        return True
    return zlib.crc32(name.encode("utf-8")) % 2 == (0 if split == "train" else 1)


def us_address(rng: random.Random, suite: bool = True) -> str:
    city, _state, abbr, zip2 = rng.choice(_US_CITIES)
    street = f"{rng.randint(1, 9999)} {rng.choice(_STEMS)} {rng.choice(_STREET_SUFFIX)}"
    if suite and rng.random() < 0.5:
        street += f", {rng.choice(('Suite', 'Suite', 'Floor', 'Unit'))} {rng.randint(1, 40)}00"
    return f"{street}, {city}, {abbr} {zip2}{rng.randint(100, 999)}"


def uk_address(rng: random.Random) -> str:
    town, district = rng.choice(_UK_TOWNS)
    street = rng.choice(_UK_STREETS.split("|"))
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    code = f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{rng.randint(1, 240)} {street}, {town} {code}"


def cn_address(rng: random.Random) -> str:
    return (
        f"No. {rng.randint(1, 999)} {rng.choice(_CN_ROAD)} Road, {rng.choice(_CN_DISTRICT)}, "
        f"{rng.choice(_CN_CITIES)}"
    )


def address(rng: random.Random, locale: str = "us") -> str:
    return {"us": us_address, "uk": uk_address, "cn": cn_address}[locale](rng)


def city_state(rng: random.Random) -> tuple[str, str]:
    city, state, _abbr, _zip = rng.choice(_US_CITIES)
    return city, state


def _company(rng: random.Random, role: str, locale: str) -> Party:
    stem = rng.choice(_STEMS)
    if rng.random() < 0.35:
        stem = f"{stem} {rng.choice(_SECOND)}"
    kinds = _LANDLORD_KIND if role == "lessor" else _TENANT_KIND
    if locale == "cn":
        city = rng.choice(_CN_CITIES)
        name = f"{city} {stem} {rng.choice(_CN_KIND)} Co., Ltd."
        return Party(name, "", cn_address(rng), "company")
    if locale == "uk":
        ent = rng.choice(("Limited", "Limited", "Ltd", "PLC", "LLP"))
        name = f"{stem} {rng.choice(kinds)} {ent}"
        number = f"{rng.randint(1000000, 13999999):08d}"
        desc = f"(company registration number {number})"
        if rng.random() < 0.5:
            desc = f"(registered in England and Wales with company number {number})"
        return Party(name, desc, uk_address(rng), "company")
    short, long = rng.choice(_US_ENTITY)
    name = f"{stem} {rng.choice(kinds)}, {short}" if rng.random() < 0.6 else f"{stem} {short}"
    if rng.random() < 0.3:
        name = name.upper()
    state = rng.choice(_STATES)
    art = "an" if state[0] in "AEIOU" else "a"
    return Party(name, f"{art} {state} {long}", us_address(rng), "company")


def _person(rng: random.Random, locale: str) -> Party:
    if locale == "cn":
        name = f"{rng.choice(_CN_SURNAME)} {rng.choice(_CN_GIVEN)}"
        return Party(name, "", cn_address(rng), "person")
    middle = f" {rng.choice('ABCDEFGHJKLMRSTW')}." if rng.random() < 0.3 else ""
    name = f"{rng.choice(_FIRST)}{middle} {rng.choice(_LAST)}"
    if rng.random() < 0.2:
        other = f"{rng.choice(_FIRST)} {name.split(' ')[-1]}"
        name = f"{name} and {other}"
    desc = rng.choice(("an individual", "", "", "individually"))
    return Party(name, desc, address(rng, locale), "person")


def _government(rng: random.Random) -> Party:
    city, state = city_state(rng)
    county = rng.choice(_STEMS)
    name = rng.choice(_GOV).format(city=city, county=county, state=state)
    return Party(name, "a public body", us_address(rng, suite=False), "government")


def party(
    rng: random.Random,
    role: str,
    locale: str = "us",
    kinds: dict[str, float] | None = None,
    split: str = "all",
) -> Party:
    """A party for ``role`` (``lessor``/``lessee``/other) whose name ``split`` owns."""
    weights = kinds or {"company": 0.8, "person": 0.15, "government": 0.05}
    for _ in range(64):
        kind = rng.choices(list(weights), weights=list(weights.values()))[0]
        if kind == "person":
            p = _person(rng, locale)
        elif kind == "government" and locale == "us":
            p = _government(rng)
        else:
            p = _company(rng, role, locale)
        if split_owns(p.name, split):
            return p
    raise RuntimeError("could not draw a party name for the split")


def person_name(rng: random.Random, locale: str = "us") -> str:
    return _person(rng, locale).name.split(" and ")[0]


__all__ = [
    "Party",
    "address",
    "city_state",
    "cn_address",
    "party",
    "person_name",
    "split_owns",
    "uk_address",
    "us_address",
]

"""Countries, regions, invented place names and people for the demo data.

Regions are real (so sites fall inside the right country on the map); towns, companies and
people are invented from syllables and word lists so that no name belongs to a real company."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    currency: str
    usd_per_unit: float          # a plausible starting exchange rate (USD per one unit)
    monthly_drift: float         # local currencies tend to lose value month by month
    timezone: str
    language: str                # the style of invented personal names
    regions: tuple[Region, ...]
    syllables: tuple[tuple[str, ...], tuple[str, ...]]
    company_suffix: str
    ministry: str                # the ministry that sits on security and human rights groups
    police: str
    army: str


COUNTRIES: tuple[Country, ...] = (
    Country("GH", "Ghana", "GHS", 0.066, 0.006, "Africa/Accra", "en",
            (Region("Ashanti", 6.45, -1.75), Region("Western", 5.55, -2.15),
             Region("Upper East", 10.75, -0.85), Region("Bono", 7.45, -2.35)),
            (("Asan", "Nkwa", "Ten", "Ayan", "Obo", "Dam", "Kwab", "Ano", "Sefw", "Bogo", "Pram", "Aboa"),
             ("kro", "so", "man", "ase", "pong", "tia", "kwa", "dum", "fo", "wa")),
            "Ltd", "Ministry of Lands and Mineral Affairs", "Police Service", "Armed Forces"),
    Country("NG", "Nigeria", "NGN", 0.00068, 0.008, "Africa/Lagos", "en",
            (Region("Rivers", 4.85, 6.95), Region("Bayelsa", 4.75, 6.15),
             Region("Delta", 5.55, 5.95), Region("Zamfara", 12.05, 6.25)),
            (("Obu", "Ega", "Oro", "Ake", "Umu", "Isi", "Kala", "Ode", "Ogbo", "Nemb", "Abo", "Ilo"),
             ("ama", "iri", "ode", "bio", "kiri", "gbe", "ruma", "eke", "wari", "ani")),
            "Ltd", "Federal Ministry of Solid Minerals and Petroleum", "Police Force", "Army"),
    Country("CD", "DR Congo", "CDF", 0.00036, 0.007, "Africa/Lubumbashi", "fr",
            (Region("Haut-Katanga", -11.45, 27.45), Region("Lualaba", -10.75, 25.55),
             Region("Ituri", 1.65, 30.15), Region("Sud-Kivu", -2.85, 28.35)),
            (("Kam", "Lui", "Kipu", "Mwa", "Kaso", "Buke", "Mutu", "Lwa", "Kiba", "Nzi", "Kalu", "Tshi"),
             ("mbo", "shi", "nga", "lela", "kasa", "bwe", "ndu", "mata", "wezi", "pala")),
            "SARL", "Ministère des Mines et des Hydrocarbures (démo)", "Police nationale", "Forces armées"),
    Country("PE", "Peru", "PEN", 0.265, 0.001, "America/Lima", "es",
            (Region("Cajamarca", -7.15, -78.45), Region("Apurímac", -14.05, -72.85),
             Region("Arequipa", -15.95, -72.15), Region("Áncash", -9.45, -77.55)),
            (("Hual", "Chaqui", "Ayll", "Cocha", "Pampa", "Yana", "Quilla", "Anta", "Huay", "Tinta", "Sayhua", "Chumpi"),
             ("bamba", "marca", "pata", "cocha", "huasi", "llacta", "rumi", "tambo", "pampa", "chaca")),
            "S.A.C.", "Ministerio de Energía y Minas (demo)", "Policía Nacional", "Ejército"),
    Country("CO", "Colombia", "COP", 0.00025, 0.002, "America/Bogota", "es",
            (Region("Antioquia", 6.95, -75.45), Region("Cesar", 9.75, -73.55),
             Region("La Guajira", 11.25, -72.95), Region("Chocó", 5.65, -76.55)),
            (("Puerto ", "Villa ", "Alto ", "Río ", "Cerro ", "Vereda ", "Llano ", "Bajo ", "Loma ",
              "Quebrada ", "Paso ", "Caño "),
             ("Aurora", "Esperanza", "Palmira", "Miraflores", "Caracolí", "Guadual", "Mirador", "Naranjal",
              "Cascajal", "Piedras")),
            "S.A.S.", "Ministerio de Minas y Energía (demo)", "Policía Nacional", "Ejército Nacional"),
    Country("MZ", "Mozambique", "MZN", 0.0156, 0.003, "Africa/Maputo", "pt",
            (Region("Cabo Delgado", -12.55, 39.35), Region("Tete", -16.05, 33.35),
             Region("Nampula", -15.05, 39.05)),
            (("Mue", "Nama", "Chiu", "Mont", "Mocu", "Naca", "Ribá", "Muan", "Mare", "Chito", "Nhan", "Lure"),
             ("da", "puta", "re", "epuez", "ba", "la", "ue", "ime", "rrupa", "tima")),
            "Lda", "Ministry of Mineral Resources and Energy", "Police of the Republic", "Armed Defence Forces"),
    Country("KE", "Kenya", "KES", 0.0077, 0.002, "Africa/Nairobi", "en",
            (Region("Kwale", -4.25, 39.15), Region("Turkana", 3.35, 35.55), Region("Kilifi", -3.45, 39.65)),
            (("Mwa", "Lodw", "Kaku", "Shim", "Msa", "Kina", "Loki", "Gona", "Rabi", "Ndu", "Mari", "Taka"),
             ("ngo", "ar", "ma", "ba", "nzi", "chogio", "wa", "ni", "ungu", "kani")),
            "Ltd", "Ministry of Mining and Blue Economy (demo)", "National Police Service", "Defence Forces"),
)

# Where the international parent companies are registered.
HQ_COUNTRIES = ("GB", "CA", "AU", "ZA", "CH", "NL")

# Invented parent-company stems (checked against well-known extractive companies).
COMPANY_STEMS = (
    "Orvanta", "Kalsumi", "Tembrell", "Quillon", "Brasswick", "Nyaleth", "Vantrec", "Zerova",
    "Halvorn", "Pellucid", "Stratmoor", "Corvane", "Ilvaris", "Dunmarrow", "Opaline", "Ridgecairn",
    "Auburnvale", "Sorrento Crest", "Maldova", "Ferrowyn", "Greyholt", "Lunaris", "Tarnfield",
    "Ombreck", "Velkara", "Castlerock Ridge", "Ashgrove", "Kyberna", "Solvane", "Merrowdown",
)
COMPANY_SECTORS = ("Resources plc", "Mining Corp.", "Gold Ltd", "Minerals Group", "Energy plc",
                   "Copper Holdings", "Petroleum Ltd", "Metals Inc.")
LOCAL_COMPANY_KINDS = {  # what local companies in each country plausibly extract or grow
    "GH": ("Gold", "Quarries", "Mining"), "NG": ("Oil and Gas", "Minerals", "Agro-Industries"),
    "CD": ("Cobalt", "Mining", "Minerals"), "PE": ("Mining", "Gold", "Minerals"),
    "CO": ("Gold", "Mining", "Agro-Industries"), "MZ": ("Minerals", "Oil and Gas", "Mining"),
    "KE": ("Minerals", "Mining", "Agro-Industries"),
}
SITE_KINDS = {
    "Gold": "gold mine", "Mining": "mine", "Quarries": "quarry", "Oil and Gas": "oil field",
    "Minerals": "mine", "Cobalt": "cobalt mine", "Agro-Industries": "plantation",
    "Resources plc": "mine", "Mining Corp.": "mine", "Gold Ltd": "gold mine",
    "Minerals Group": "mine", "Energy plc": "gas project", "Copper Holdings": "copper mine",
    "Petroleum Ltd": "oil field", "Metals Inc.": "mine",
}

CSO_PATTERNS = (
    "{town} Centre for Human Rights and Development", "{region} Extractives Watch",
    "Foundation for Community Voice ({town})", "{town} Women's Rights Network",
    "{region} Land Rights Coalition", "Initiative for Peace and Dialogue ({town})",
    "{town} Legal Aid Collective", "{region} Environmental Justice Forum",
)
COMMUNITY_PATTERNS = (
    "{town} Community Development Committee", "{town} Traditional Council",
    "{town} Youth Association", "{town} Women's Group", "{town} Farmers' Cooperative",
    "{town} Artisanal Miners' Association", "{town} Fishers' Association",
)
ACADEMIC_PATTERNS = ("{region} University Institute for Governance", "{town} Centre for Peace Studies")
PRIVATE_SECURITY_PATTERNS = ("{stem} Guarding Services {suffix}", "{stem} Protective Services {suffix}",
                             "{stem} Risk Solutions {suffix}")
SECURITY_STEMS = ("Sentinel Arc", "Watchpoint", "Bastion Line", "Shieldcrest", "Gatekeep", "Ironhedge",
                  "Vigilant Oak", "Safeguard Ridge", "Bulwark", "Rampart Star")
INTERNATIONAL_ORGS = (
    ("Partnership for Rights in Extractives (demo)", "international_organisation"),
    ("Nordic Fund for Peaceful Resources (demo)", "donor"),
    ("Global Dialogue Facility (demo)", "international_organisation"),
    ("Alliance for Responsible Security (demo)", "international_organisation"),
    ("Commonwealth Trust for Community Rights (demo)", "donor"),
    ("Transparent Resources Support Fund (demo)", "donor"),
)

FIRST_NAMES = {
    "en": ("Ama", "Kofi", "Abena", "Yaw", "Efua", "Kwesi", "Ngozi", "Chinedu", "Ifeoma", "Emeka",
           "Amina", "Tunde", "Atieno", "Otieno", "Wanjiru", "Baraka", "Halima", "Samuel", "Grace",
           "Joseph", "Esther", "Daniel"),
    "fr": ("Jean-Pierre", "Mireille", "Patrice", "Aimée", "Désiré", "Chantal", "Olivier", "Nadège",
           "Blaise", "Solange", "Espoir", "Béatrice", "Gaston", "Clarisse", "Fiston", "Rachel"),
    "pt": ("Fátima", "Celso", "Graça", "Abel", "Lúcia", "Ernesto", "Albertina", "Jacinto", "Custódia",
           "Armando", "Felismina", "Tomás", "Rosalina", "Dinis"),
    "es": ("Rosa", "Lucía", "Jorge", "Carmen", "Andrés", "Paula", "Luis", "Marisol", "Óscar",
           "Yolanda", "Wilmer", "Elena", "Julio", "Gladys", "Héctor", "Nelly"),
}
LAST_NAMES = {
    "en": ("Asante-Boadu", "Owusu-Ntim", "Mensakrom", "Okafor-Ude", "Adeyemo-Lawal", "Nwachukwu",
           "Ochieng'-Wafula", "Kamau-Njeri", "Boateng-Yeboah", "Ekwueme-Obi", "Mutua-Kilonzo",
           "Danquah-Ofori"),
    "pt": ("Macuácua", "Nhantumbo", "Langa Mussa", "Cossa Mabunda", "Sitoe Chauque", "Muianga",
           "Tembe Nhaca", "Mondlane Cuna"),
    "fr": ("Kabongo-Ilunga", "Mukendi", "Tshibanda", "Mwamba-Kasongo", "Ngoy-Mbuyi", "Kalala",
           "Lukusa-Nday", "Mbayo", "Kapend-Yav", "Banza-Kitenge"),
    "es": ("Quispe Huamán", "Mamani Condori", "Vargas Ccori", "Rojas Tupayachi", "Ospina Cárdenas",
           "Restrepo Lozano", "Guerrero Palacios", "Mosquera Rentería", "Chávez Huaraca", "Pérez Arango"),
}


def town_names(rng: random.Random, country: Country, count: int) -> list[str]:
    """`count` distinct invented town names in the style of the country."""
    first, second = country.syllables
    names: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(names) < count:
        attempts += 1
        name = rng.choice(first) + rng.choice(second)
        if attempts > 60 * count:   # syllables exhausted: add a third part
            name = name + " " + rng.choice(("Nord", "Sud", "Este", "Oeste", "Alto", "Bajo", "Nuevo", "Viejo"))
        if name in seen:
            continue
        seen.add(name)
        names.append(name)
    return names


def person_name(rng: random.Random, language: str) -> str:
    return f"{rng.choice(FIRST_NAMES[language])} {rng.choice(LAST_NAMES[language])}"

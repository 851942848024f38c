"""Postman's dynamic variables (``{{$guid}}``, ``{{$timestamp}}``, ``{{$randomEmail}}`` ...).

Postman resolves 118 names starting with ``$`` itself, drawing a fresh value at
every occurrence (postman-collection's ``lib/superstring/dynamic-variables.js``,
backed by faker 5). This module produces values of the same *shape* with the
standard library only, so a replayed request or a generated sample looks like
what Postman would send: ``$timestamp`` is integer seconds, ``$isoTimestamp``
is ``2026-11-29T10:18:28.123Z``, ``$randomDatePast`` is a JavaScript
``Date.toString()`` rendering, ``$randomIP`` is a valid IPv4 address and so on.

Word lists are short and hand-written: the values are realistic, not faker's.
Time is always rendered in UTC (Postman uses the machine's zone for the three
``$randomDate…`` names; we pin UTC so output does not depend on the host).
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

Generator = Callable[[random.Random, datetime], str]

# --------------------------------------------------------------------------- word lists

_FIRST_NAMES = (
    "Ada", "Alia", "Amara", "Armando", "Bennett", "Bria", "Caleb", "Casey", "Chandler", "Connie",
    "Dario", "Delia", "Donnell", "Elena", "Ethan", "Fern", "Gracie", "Gwen", "Hector", "Iva",
    "Jaden", "Jakob", "Jarrell", "Juno", "Kendrick", "Korbin", "Lena", "Lottie", "Marco", "Megane",
    "Mila", "Nadia", "Nolan", "Olive", "Pablo", "Priya", "Quinten", "Rosa", "Ruthe", "Sylvan",
    "Talon", "Tessa", "Theo", "Trevor", "Tristin", "Uma", "Vera", "Wilmer", "Yusuf", "Zelda",
)  # fmt: skip

_LAST_NAMES = (
    "Abbott", "Baker", "Bauer", "Carter", "Chen", "Dalton", "Ellis", "Fay", "Fischer", "Garcia",
    "Grady", "Gutkowski", "Harvey", "Hoffman", "Ibarra", "Jensen", "Johns", "Kassulke", "Kerluke",
    "Kovacek", "Kunze", "Larsen", "Leffler", "Lopez", "Moreau", "Murphy", "Nakamura", "Novak",
    "Okafor", "Olsen", "Patel", "Quigley", "Rossi", "Runolfsdottir", "Schaden", "Schneider",
    "Smitham", "Spinka", "Tanaka", "Turner", "Underwood", "Vasquez", "Walsh", "Willms", "Xu",
    "Young", "Zimmerman",
)  # fmt: skip

_NAME_PREFIXES = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.")
_NAME_SUFFIXES = ("Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "DDS", "PhD", "DVM")

_JOB_DESCRIPTORS = (
    "Lead", "Senior", "Direct", "Corporate", "Dynamic", "Future", "Product", "National", "Regional",
    "District", "Central", "Global", "Customer", "Investor", "International", "Legacy", "Forward",
    "Internal", "Human", "Chief", "Principal",
)  # fmt: skip
_JOB_AREAS = (
    "Solutions", "Program", "Brand", "Security", "Research", "Marketing", "Directives",
    "Implementation", "Integration", "Functionality", "Response", "Paradigm", "Tactics", "Identity",
    "Markets", "Group", "Division", "Applications", "Optimization", "Operations", "Infrastructure",
    "Intranet", "Communications", "Web", "Branding", "Quality", "Assurance", "Mobility", "Accounts",
    "Data", "Creative", "Configuration", "Accountability", "Interactions", "Factors", "Usability",
    "Metrics",
)  # fmt: skip
_JOB_TYPES = (
    "Supervisor", "Associate", "Executive", "Liaison", "Officer", "Manager", "Engineer",
    "Specialist", "Director", "Coordinator", "Administrator", "Architect", "Analyst", "Designer",
    "Planner", "Orchestrator", "Technician", "Developer", "Producer", "Consultant", "Assistant",
    "Facilitator", "Agent", "Representative", "Strategist",
)  # fmt: skip

_CITY_PREFIXES = ("North", "East", "West", "South", "New", "Lake", "Port")
_CITY_SUFFIXES = (
    "town", "ton", "land", "ville", "berg", "burgh", "borough", "bury", "view", "port", "mouth",
    "stad", "furt", "chester", "fort", "haven", "side", "shire",
)  # fmt: skip
_STREET_SUFFIXES = (
    "Alley", "Avenue", "Bridge", "Brook", "Bypass", "Camp", "Canyon", "Causeway", "Circle", "Cliff",
    "Club", "Corner", "Court", "Cove", "Creek", "Crescent", "Crossing", "Drive", "Estates", "Falls",
    "Ferry", "Field", "Forest", "Fork", "Freeway", "Gardens", "Glen", "Green", "Grove", "Harbor",
    "Heights", "Highway", "Hill", "Hollow", "Island", "Junction", "Knoll", "Lake", "Landing", "Lane",
    "Lodge", "Loop", "Manor", "Meadow", "Mill", "Orchard", "Park", "Parkway", "Pass", "Path", "Pike",
    "Place", "Plaza", "Point", "Prairie", "Ranch", "Ridge", "River", "Road", "Route", "Row", "Run",
    "Shore", "Springs", "Square", "Station", "Street", "Streets", "Summit", "Terrace", "Trail",
    "Tunnel", "Valley", "View", "Village", "Vista", "Walk", "Way", "Wells",
)  # fmt: skip

# (country name, ISO 3166-1 alpha-2); Postman draws name and code independently.
_COUNTRIES = (
    ("Argentina", "AR"), ("Australia", "AU"), ("Austria", "AT"), ("Belgium", "BE"),
    ("Brazil", "BR"), ("Canada", "CA"), ("Cape Verde", "CV"), ("Chad", "TD"), ("Chile", "CL"),
    ("Colombia", "CO"), ("Denmark", "DK"), ("Ecuador", "EC"), ("Egypt", "EG"), ("Finland", "FI"),
    ("France", "FR"), ("Germany", "DE"), ("Ghana", "GH"), ("Greece", "GR"), ("Iceland", "IS"),
    ("India", "IN"), ("Ireland", "IE"), ("Italy", "IT"), ("Japan", "JP"), ("Kazakhstan", "KZ"),
    ("Kenya", "KE"), ("Lao People's Democratic Republic", "LA"), ("Mauritius", "MU"),
    ("Mexico", "MX"), ("Moldova", "MD"), ("Mongolia", "MN"), ("Morocco", "MA"), ("Nepal", "NP"),
    ("Netherlands", "NL"), ("New Zealand", "NZ"), ("Nigeria", "NG"), ("Norway", "NO"), ("Peru", "PE"),
    ("Poland", "PL"), ("Portugal", "PT"), ("Samoa", "WS"), ("Senegal", "SN"), ("Singapore", "SG"),
    ("South Africa", "ZA"), ("Spain", "ES"), ("Sweden", "SE"), ("Switzerland", "CH"),
    ("Thailand", "TH"), ("Tunisia", "TN"), ("Turkey", "TR"), ("Uganda", "UG"),
    ("United Kingdom", "GB"), ("United States of America", "US"), ("Uruguay", "UY"),
    ("Vietnam", "VN"), ("Zambia", "ZM"),
)  # fmt: skip

# Language codes as Postman's list has them: mostly ISO 639-1, a few three-letter ones.
_LOCALES = (
    "af", "am", "ar", "ast", "az", "be", "bg", "bn", "br", "bs", "ca", "ceb", "cs", "cy", "da",
    "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu", "ha",
    "haw", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "km", "ko", "la",
    "lt", "lv", "mk", "ml", "mn", "ms", "mt", "my", "nb", "ne", "nl", "ny", "pa", "pl", "pt",
    "ro", "ru", "si", "sk", "sl", "sq", "sr", "sv", "sw", "ta", "te", "th", "tr", "uk", "ur",
    "uz", "vi", "xh", "yo", "zh", "zu",
)  # fmt: skip

_COLORS = (
    "red", "green", "blue", "yellow", "orange", "purple", "pink", "black", "white", "grey",
    "silver", "gold", "lime", "teal", "navy", "maroon", "olive", "fuchsia", "cyan", "magenta",
    "indigo", "violet", "orchid", "plum", "salmon", "tan", "turquoise", "azure", "lavender",
    "mint green", "sky blue",
)  # fmt: skip
_DEPARTMENTS = (
    "Books", "Movies", "Music", "Games", "Electronics", "Computers", "Home", "Garden", "Tools",
    "Grocery", "Health", "Beauty", "Toys", "Kids", "Baby", "Clothing", "Shoes", "Jewelery",
    "Sports", "Outdoors", "Automotive", "Industrial",
)  # fmt: skip
_PRODUCT_ADJECTIVES = (
    "Small", "Ergonomic", "Rustic", "Intelligent", "Gorgeous", "Incredible", "Fantastic",
    "Practical", "Sleek", "Awesome", "Generic", "Handcrafted", "Handmade", "Licensed", "Refined",
    "Unbranded", "Tasty",
)  # fmt: skip
_PRODUCT_MATERIALS = (
    "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft",
    "Fresh", "Frozen",
)  # fmt: skip
_PRODUCTS = (
    "Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt",
    "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon",
    "Pizza", "Salad", "Sausages", "Chips",
)  # fmt: skip

_COMPANY_SUFFIXES = ("Inc", "and Sons", "LLC", "Group")
_CATCH_ADJECTIVES = (
    "Adaptive", "Advanced", "Automated", "Balanced", "Business-focused", "Centralized",
    "Configurable", "Cross-platform", "Customer-focused", "Decentralized", "Down-sized",
    "Enhanced", "Ergonomic", "Future-proofed", "Implemented", "Innovative", "Integrated",
    "Managed", "Multi-layered", "Open-source", "Optimized", "Persistent", "Proactive", "Reactive",
    "Robust", "Seamless", "Self-enabling", "Streamlined", "Synergized", "User-friendly",
    "Virtual", "Visionary",
)  # fmt: skip
_CATCH_DESCRIPTORS = (
    "24 hour", "asymmetric", "bandwidth-monitored", "bi-directional", "client-driven",
    "context-sensitive", "dedicated", "demand-driven", "dynamic", "executive", "fault-tolerant",
    "global", "heuristic", "homogeneous", "intangible", "interactive", "local", "logistical",
    "mission-critical", "modular", "multi-state", "needs-based", "next generation", "real-time",
    "scalable", "secondary", "static", "systematic", "transitional", "value-added", "zero defect",
)  # fmt: skip
_CATCH_NOUNS = (
    "ability", "access", "adapter", "algorithm", "alliance", "analyzer", "application", "archive",
    "array", "attitude", "benchmark", "capability", "circuit", "collaboration", "concept",
    "database", "definition", "emulation", "encoding", "firmware", "flexibility", "framework",
    "groupware", "hierarchy", "info-mediaries", "installation", "interface", "knowledge base",
    "matrix", "methodology", "middleware", "model", "moderator", "open architecture",
    "paradigm", "portal", "protocol", "secured line", "service-desk", "solution", "strategy",
    "superstructure", "synergy", "throughput", "toolset", "workforce",
)  # fmt: skip
_BS_BUZZ = (
    "implement", "utilize", "integrate", "streamline", "optimize", "evolve", "transform",
    "embrace", "enable", "orchestrate", "leverage", "reinvent", "aggregate", "architect",
    "enhance", "incentivize", "morph", "empower", "envisioneer", "monetize", "harness",
    "facilitate", "seize", "disintermediate", "synergize", "strategize", "deploy", "brand",
    "grow", "target", "syndicate", "synthesize", "deliver", "mesh", "incubate", "engage",
    "maximize", "benchmark", "expedite", "reintermediate", "whiteboard", "visualize",
    "repurpose", "innovate", "scale", "unleash", "drive", "extend", "engineer", "revolutionize",
    "generate", "exploit", "transition", "e-enable", "iterate", "cultivate", "matrix",
    "productize", "redefine", "recontextualize",
)  # fmt: skip
_BS_ADJECTIVES = (
    "clicks-and-mortar", "value-added", "vertical", "proactive", "robust", "revolutionary",
    "scalable", "leading-edge", "innovative", "intuitive", "strategic", "e-business",
    "mission-critical", "sticky", "one-to-one", "24/7", "end-to-end", "global", "B2B", "B2C",
    "granular", "frictionless", "virtual", "viral", "dynamic", "24/365", "best-of-breed",
    "killer", "magnetic", "bleeding-edge", "web-enabled", "interactive", "dot-com", "sexy",
    "back-end", "real-time", "efficient", "front-end", "distributed", "seamless", "extensible",
    "turn-key", "world-class", "open-source", "cross-platform", "cross-media", "synergistic",
    "bricks-and-clicks", "out-of-the-box", "enterprise", "integrated", "impactful", "wireless",
    "transparent", "next-generation", "cutting-edge", "user-centric", "visionary", "customized",
    "ubiquitous", "plug-and-play", "collaborative", "compelling", "holistic", "rich",
)  # fmt: skip
_BS_NOUNS = (
    "synergies", "web-readiness", "paradigms", "markets", "partnerships", "infrastructures",
    "platforms", "initiatives", "channels", "eyeballs", "communities", "ROI", "solutions",
    "e-tailers", "e-services", "action-items", "portals", "niches", "technologies", "content",
    "vortals", "supply-chains", "convergence", "relationships", "architectures", "interfaces",
    "e-markets", "e-commerce", "systems", "bandwidth", "infomediaries", "models", "mindshare",
    "deliverables", "users", "schemas", "networks", "applications", "metrics", "e-business",
    "functionalities", "experiences", "web services", "methodologies",
)  # fmt: skip

_DB_COLUMNS = (
    "id", "title", "name", "email", "phone", "token", "group", "category", "password", "comment",
    "avatar", "status", "createdAt", "updatedAt",
)  # fmt: skip
_DB_TYPES = (
    "int", "varchar", "text", "date", "datetime", "tinyint", "time", "timestamp", "smallint",
    "mediumint", "bigint", "decimal", "float", "double", "real", "bit", "boolean", "serial",
    "blob", "binary", "enum", "set", "geometry", "point",
)  # fmt: skip
_DB_COLLATIONS = (
    "utf8_unicode_ci", "utf8_general_ci", "utf8_bin", "ascii_bin", "ascii_general_ci",
    "cp1250_bin", "cp1250_general_ci",
)  # fmt: skip
_DB_ENGINES = ("InnoDB", "MyISAM", "Memory", "CSV", "BLACKHOLE", "ARCHIVE")

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_ACCOUNT_NAMES = (
    "Checking", "Savings", "Money Market", "Investment", "Home Loan", "Credit Card", "Auto Loan",
    "Personal Loan",
)  # fmt: skip
_TRANSACTION_TYPES = ("deposit", "withdrawal", "payment", "invoice")
# (ISO 4217 code, name, symbol); an empty symbol means the currency has none in common use.
_CURRENCIES = (
    ("USD", "US Dollar", "$"), ("EUR", "Euro", "€"), ("GBP", "Pound Sterling", "£"),
    ("JPY", "Yen", "¥"), ("CHF", "Swiss Franc", "CHF"), ("CAD", "Canadian Dollar", "$"),
    ("AUD", "Australian Dollar", "$"), ("INR", "Indian Rupee", "₹"), ("CNY", "Yuan Renminbi", "¥"),
    ("SEK", "Swedish Krona", "kr"), ("NOK", "Norwegian Krone", "kr"), ("PLN", "Zloty", "zł"),
    ("KRW", "Won", "₩"), ("BRL", "Brazilian Real", "R$"), ("MXN", "Mexican Peso", "$"),
    ("NIO", "Cordoba Oro", "C$"), ("XPF", "CFP Franc", ""), ("CDF", "Congolese Franc", ""),
    ("GNF", "Guinea Franc", ""), ("MWK", "Kwacha", ""), ("ZMW", "Zambian Kwacha", ""),
    ("THB", "Baht", "฿"), ("ILS", "New Israeli Sheqel", "₪"), ("NGN", "Naira", "₦"),
)  # fmt: skip

_HACKER_ABBREVIATIONS = (
    "ADP", "AGP", "AI", "API", "ASCII", "CLI", "COM", "CSS", "DNS", "EXE", "FTP", "GB", "HDD",
    "HTTP", "IB", "IP", "JBOD", "JSON", "OCR", "PCI", "PNG", "RAM", "RSS", "SAS", "SCSI", "SDD",
    "SMS", "SMTP", "SQL", "SSD", "SSL", "TCP", "TLS", "UDP", "USB", "UTF8", "VGA", "XML", "XSS",
)  # fmt: skip
_HACKER_ADJECTIVES = (
    "auxiliary", "primary", "back-end", "digital", "open-source", "virtual", "cross-platform",
    "redundant", "online", "haptic", "multi-byte", "bluetooth", "wireless", "1080p", "neural",
    "optical", "solid state", "mobile",
)  # fmt: skip
_HACKER_NOUNS = (
    "driver", "protocol", "bandwidth", "panel", "microchip", "program", "port", "card", "array",
    "interface", "system", "sensor", "firewall", "hard drive", "pixel", "alarm", "feed", "monitor",
    "application", "transmitter", "bus", "circuit", "capacitor", "matrix",
)  # fmt: skip
# (verb, its -ing form)
_HACKER_VERBS = (
    ("back up", "backing up"), ("bypass", "bypassing"), ("hack", "hacking"),
    ("override", "overriding"), ("compress", "compressing"), ("copy", "copying"),
    ("navigate", "navigating"), ("index", "indexing"), ("connect", "connecting"),
    ("generate", "generating"), ("quantify", "quantifying"), ("calculate", "calculating"),
    ("synthesize", "synthesizing"), ("input", "inputting"), ("transmit", "transmitting"),
    ("program", "programming"), ("reboot", "rebooting"), ("parse", "parsing"),
)  # fmt: skip
# Phrase shapes: {a}=adjective, {n}=noun, {v}=verb, {i}=-ing verb, {x}=abbreviation.
_HACKER_PHRASES = (
    "If we {v} the {n}, we can get to the {x} {n} through the {a} {x} {n}!",
    "We need to {v} the {a} {x} {n}!",
    "Try to {v} the {x} {n}, maybe it will {v} the {a} {n}!",
    "You can't {v} the {n} without {i} the {a} {x} {n}!",
    "Use the {a} {x} {n}, then you can {v} the {a} {n}!",
    "The {x} {n} is down, {v} the {a} {n} so we can {v} the {x} {n}!",
    "{i} the {n} won't do anything, we need to {v} the {a} {x} {n}!",
    "I'll {v} the {a} {x} {n}, that should {v} the {x} {n}!",
)

_LOREM = (
    "a", "ab", "accusamus", "adipisci", "alias", "aliquam", "aliquid", "amet", "animi", "aperiam",
    "architecto", "asperiores", "aspernatur", "assumenda", "atque", "aut", "autem", "beatae",
    "commodi", "consequatur", "consequuntur", "corporis", "culpa", "cum", "cupiditate", "debitis",
    "delectus", "deleniti", "dicta", "dignissimos", "distinctio", "dolor", "dolore", "dolorem",
    "dolores", "doloribus", "ducimus", "ea", "eaque", "earum", "eius", "eligendi", "enim", "eos",
    "error", "esse", "est", "et", "eum", "eveniet", "ex", "excepturi", "expedita", "explicabo",
    "facere", "facilis", "fuga", "fugiat", "harum", "hic", "id", "illo", "impedit", "in",
    "incidunt", "ipsa", "ipsam", "ipsum", "iste", "itaque", "iure", "iusto", "labore",
    "laboriosam", "laudantium", "libero", "magnam", "magni", "maiores", "maxime", "minima",
    "minus", "modi", "molestiae", "molestias", "mollitia", "nam", "natus", "necessitatibus",
    "nemo", "neque", "nesciunt", "nihil", "nisi", "nobis", "non", "nostrum", "nulla", "numquam",
    "odio", "odit", "officia", "omnis", "optio", "pariatur", "perferendis", "perspiciatis",
    "placeat", "porro", "possimus", "praesentium", "provident", "quae", "quaerat", "quam", "quas",
    "qui", "quia", "quibusdam", "quidem", "quis", "quisquam", "quo", "quod", "quos", "ratione",
    "recusandae", "rem", "repellat", "repellendus", "reprehenderit", "repudiandae", "rerum",
    "saepe", "sapiente", "sed", "sequi", "similique", "sint", "sit", "soluta", "sunt", "suscipit",
    "tempora", "tempore", "temporibus", "tenetur", "totam", "ullam", "unde", "ut", "vel",
    "velit", "veniam", "veritatis", "vero", "vitae", "voluptas", "voluptate", "voluptatem",
    "voluptates", "voluptatibus", "voluptatum",
)  # fmt: skip

_FREE_EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com")
_EXAMPLE_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
_DOMAIN_SUFFIXES = ("com", "biz", "info", "name", "net", "org", "io")
_AVATAR_HANDLES = (
    "adellecharles", "ahmetsulek", "aiiaiiaii", "alexandermayes", "ariffsetiawan", "bassamology",
    "bergmartin", "brandonflatsoda", "carlosgavina", "chadengle", "danpliego", "davidmerrique",
    "eduardostuart", "felipeapiress", "gonzalorobaina", "iamjdeleon", "jeremymouton",
    "joelcipriano", "katiemdaly", "kolage", "marrimo", "mattsapii", "nelshd", "noxdzine",
    "peterlandt", "rdbannon", "sauro", "thiagovernetti", "vaughanmoffitt", "zeedesign",
)  # fmt: skip
_IMAGE_CATEGORIES = {
    "$randomAbstractImage": "abstract",
    "$randomAnimalsImage": "animals",
    "$randomBusinessImage": "business",
    "$randomCatsImage": "cats",
    "$randomCityImage": "city",
    "$randomFoodImage": "food",
    "$randomNightlifeImage": "nightlife",
    "$randomFashionImage": "fashion",
    "$randomPeopleImage": "people",
    "$randomNatureImage": "nature",
    "$randomSportsImage": "sports",
    "$randomTransportImage": "transport",
}
_IMAGE_SIZES = ((640, 480), (800, 600), (320, 240), (1024, 768), (200, 200), (128, 128))
_SVG_FILLS = ("grey", "black", "navy", "teal", "maroon", "olive", "purple", "steelblue")

_DIRECTORY_PATHS = (
    "/Applications", "/bin", "/boot", "/dev", "/etc", "/etc/defaults", "/etc/mail", "/home",
    "/home/user", "/home/user/dir", "/lib", "/Library", "/media", "/mnt", "/net", "/opt",
    "/opt/bin", "/opt/lib", "/opt/share", "/private/tmp", "/private/var", "/proc", "/root",
    "/sbin", "/srv", "/sys", "/System", "/tmp", "/Users", "/usr", "/usr/bin", "/usr/include",
    "/usr/lib", "/usr/local/bin", "/usr/local/src", "/usr/sbin", "/usr/share", "/usr/src", "/var",
    "/var/log", "/var/mail", "/var/spool", "/var/tmp",
)  # fmt: skip
# MIME type -> its file extensions. The first block are the "common" types.
_COMMON_MIME_TYPES = {
    "application/pdf": ("pdf",),
    "audio/mpeg": ("mpga", "mp2", "mp2a", "mp3", "m2a", "m3a"),
    "audio/wav": ("wav",),
    "image/png": ("png",),
    "image/jpeg": ("jpeg", "jpg", "jpe"),
    "image/gif": ("gif",),
    "video/mp4": ("mp4", "mp4v", "mpg4"),
    "video/mpeg": ("mpeg", "mpg", "mpe", "m1v", "m2v"),
    "text/html": ("html", "htm", "shtml"),
}
_MIME_TYPES = {
    **_COMMON_MIME_TYPES,
    "application/json": ("json",),
    "application/xml": ("xml", "xsl"),
    "application/zip": ("zip",),
    "application/gzip": ("gz",),
    "application/java-archive": ("jar", "war", "ear"),
    "application/x-cpio": ("cpio",),
    "application/x-tar": ("tar",),
    "application/msword": ("doc", "dot"),
    "application/vnd.google-apps.document": ("gdoc",),
    "application/vnd.ms-excel": ("xls", "xlm", "xla"),
    "application/epub+zip": ("epub",),
    "application/x-freearc": ("arc",),
    "application/vnd.fsc.weblaunch": ("fsc",),
    "application/vnd.framemaker": ("fm", "frame", "maker", "book"),
    "application/octet-stream": ("bin", "dms", "lrf", "dump"),
    "audio/ogg": ("oga", "ogg", "spx"),
    "audio/flac": ("flac",),
    "audio/vnd.vmx.cvsd": ("cvsd",),
    "font/woff": ("woff",),
    "font/ttf": ("ttf",),
    "image/svg+xml": ("svg", "svgz"),
    "image/webp": ("webp",),
    "image/tiff": ("tiff", "tif"),
    "message/rfc822": ("eml", "mime"),
    "model/vrml": ("wrl", "vrml"),
    "model/x3d+xml": ("x3d", "x3dz"),
    "multipart/mixed": ("mixed",),
    "text/css": ("css",),
    "text/csv": ("csv",),
    "text/plain": ("txt", "text", "conf", "log"),
    "video/webm": ("webm",),
    "video/quicktime": ("qt", "mov"),
}
_COMMON_FILE_TYPES = ("video", "audio", "image", "text", "application")

# IBAN layouts (country, BBAN parts): "n" digits, "a" upper-case letters, "c" either.
_IBAN_LAYOUTS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("AT", (("n", 16),)),
    ("BE", (("n", 12),)),
    ("CH", (("n", 5), ("c", 12))),
    ("DE", (("n", 18),)),
    ("ES", (("n", 20),)),
    ("FR", (("n", 10), ("c", 11), ("n", 2))),
    ("GB", (("a", 4), ("n", 14))),
    ("IT", (("a", 1), ("n", 10), ("c", 12))),
    ("MT", (("a", 4), ("n", 5), ("c", 18))),
    ("MU", (("a", 4), ("n", 19), ("a", 3))),
    ("NL", (("a", 4), ("n", 10))),
    ("NO", (("n", 11),)),
    ("PL", (("n", 24),)),
)
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_JS_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_JS_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_YEAR = timedelta(days=365)
_DAY = timedelta(days=1)

# --------------------------------------------------------------------------- small helpers


def _choice_of(options: Sequence[str]) -> Generator:
    """A generator that picks one of ``options``: most of Postman's names are just that."""
    return lambda rng, _now: rng.choice(options)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _js_date_string(moment: datetime) -> str:
    """What JavaScript's ``String(date)`` prints, as Postman substitutes faker's Date objects."""
    at = _utc(moment)
    return (
        f"{_JS_WEEKDAYS[at.weekday()]} {_JS_MONTHS[at.month - 1]} {at.day:02d} {at.year:04d} "
        f"{at:%H:%M:%S} GMT+0000 (Coordinated Universal Time)"
    )


def _shifted(rng: random.Random, now: datetime, span: timedelta, sign: int) -> str:
    """``now`` moved by 1 second .. ``span`` (milliseconds resolution), as faker's date helpers do."""
    millis = rng.randint(1000, int(span.total_seconds() * 1000))
    return _js_date_string(now + sign * timedelta(milliseconds=millis))


# --------------------------------------------------------------------------- common


def _guid(rng: random.Random, _now: datetime) -> str:
    """A lowercase version-4 UUID drawn from ``rng`` so a seed reproduces it."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _timestamp(_rng: random.Random, now: datetime) -> str:
    """Unix seconds, rounded like ``Math.round(Date.now() / 1000)``."""
    return str(int(_utc(now).timestamp() + 0.5))


def _iso_timestamp(_rng: random.Random, now: datetime) -> str:
    """``Date.prototype.toISOString()``: UTC, milliseconds, ``Z``."""
    at = _utc(now)
    return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond // 1000:03d}Z"


def _random_int(rng: random.Random, _now: datetime) -> str:
    return str(rng.randint(0, 1000))


def _boolean(rng: random.Random, _now: datetime) -> str:
    return rng.choice(("true", "false"))


def _alpha_numeric(rng: random.Random, _now: datetime) -> str:
    return rng.choice(string.digits + string.ascii_lowercase)


# --------------------------------------------------------------------------- people and places


def _full_name(rng: random.Random, _now: datetime) -> str:
    """Mostly "First Last"; now and then with a prefix or a suffix, like faker's ``findName``."""
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    roll = rng.randint(0, 8)
    if roll == 0:
        return f"{rng.choice(_NAME_PREFIXES)} {first} {last}"
    if roll == 1:
        return f"{first} {last} {rng.choice(_NAME_SUFFIXES)}"
    return f"{first} {last}"


def _job_title(rng: random.Random, _now: datetime) -> str:
    return f"{rng.choice(_JOB_DESCRIPTORS)} {rng.choice(_JOB_AREAS)} {rng.choice(_JOB_TYPES)}"


def _phone_number(rng: random.Random, _now: datetime) -> str:
    """``NNN-NNN-NNNN``; the area code does not start with 0 or 1, as in the NANP."""
    return f"{rng.randint(2, 9)}{_digits(rng, 2)}-{_digits(rng, 3)}-{_digits(rng, 4)}"


def _phone_number_ext(rng: random.Random, now: datetime) -> str:
    """Postman's "extension" is a 1..99 prefix: ``27-199-983-3864``."""
    return f"{rng.randint(1, 99)}-{_phone_number(rng, now)}"


def _city(rng: random.Random, _now: datetime) -> str:
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    prefix, suffix = rng.choice(_CITY_PREFIXES), rng.choice(_CITY_SUFFIXES)
    return rng.choice(
        (f"{prefix} {first}{suffix}", f"{prefix} {first}", f"{first}{suffix}", f"{last}{suffix}")
    )


def _street_name(rng: random.Random, _now: datetime) -> str:
    return f"{rng.choice(_FIRST_NAMES + _LAST_NAMES)} {rng.choice(_STREET_SUFFIXES)}"


def _street_address(rng: random.Random, now: datetime) -> str:
    number = f"{rng.randint(1, 9)}{_digits(rng, rng.randint(2, 4))}"
    return f"{number} {_street_name(rng, now)}"


def _coordinate(rng: random.Random, limit: int) -> str:
    """A degree value in -limit..limit with four decimals (faker's ``toFixed(4)``)."""
    return f"{rng.randint(-limit * 10_000, limit * 10_000) / 10_000:.4f}"


def _latitude(rng: random.Random, _now: datetime) -> str:
    return _coordinate(rng, 90)


def _longitude(rng: random.Random, _now: datetime) -> str:
    return _coordinate(rng, 180)


def _country(rng: random.Random, _now: datetime) -> str:
    return rng.choice(_COUNTRIES)[0]


def _country_code(rng: random.Random, _now: datetime) -> str:
    return rng.choice(_COUNTRIES)[1]


# --------------------------------------------------------------------------- business


def _product_name(rng: random.Random, _now: datetime) -> str:
    return f"{rng.choice(_PRODUCT_ADJECTIVES)} {rng.choice(_PRODUCT_MATERIALS)} {rng.choice(_PRODUCTS)}"


def _company_name(rng: random.Random, _now: datetime) -> str:
    a, b, c = (rng.choice(_LAST_NAMES) for _ in range(3))
    return rng.choice((f"{a} {rng.choice(_COMPANY_SUFFIXES)}", f"{a} - {b}", f"{a}, {b} and {c}"))


def _catch_phrase(rng: random.Random, _now: datetime) -> str:
    parts = (_CATCH_ADJECTIVES, _CATCH_DESCRIPTORS, _CATCH_NOUNS)
    return " ".join(rng.choice(words) for words in parts)


def _bs(rng: random.Random, _now: datetime) -> str:
    return " ".join(rng.choice(words) for words in (_BS_BUZZ, _BS_ADJECTIVES, _BS_NOUNS))


# --------------------------------------------------------------------------- finance


def _bank_account_name(rng: random.Random, _now: datetime) -> str:
    return f"{rng.choice(_ACCOUNT_NAMES)} Account"


def _price(rng: random.Random, _now: datetime) -> str:
    """0.00 .. 1000.00 with two decimals (faker's ``finance.amount()`` defaults)."""
    cents = rng.randint(0, 100_000)
    return f"{cents // 100}.{cents % 100:02d}"


def _currency_symbol(rng: random.Random, _now: datetime) -> str:
    return rng.choice([symbol for _code, _name, symbol in _CURRENCIES if symbol])


def _bitcoin(rng: random.Random, _now: datetime) -> str:
    """A P2PKH/P2SH-looking address: ``1`` or ``3`` then base58, 25..34 characters in all."""
    length = rng.randint(25, 34)
    return rng.choice("13") + "".join(rng.choice(_BASE58) for _ in range(length - 1))


def _iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits: 98 minus (BBAN + country + "00", letters as 10..35) mod 97."""
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{98 - number % 97:02d}"


def _iban(rng: random.Random, _now: datetime) -> str:
    """An IBAN with a real country layout and valid check digits."""
    country, layout = rng.choice(_IBAN_LAYOUTS)
    pools = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + string.ascii_uppercase}
    bban = "".join(rng.choice(pools[kind]) for kind, count in layout for _ in range(count))
    return f"{country}{_iban_check_digits(country, bban)}{bban}"


def _bic(rng: random.Random, now: datetime) -> str:
    """8 or 11 characters: bank (4 letters), country, location ending in ``1``, optional branch."""
    letters = string.ascii_uppercase
    bank = "".join(rng.choice(letters) for _ in range(3)) + rng.choice("AEIOU")
    location = rng.choice(letters) + "1"
    roll = rng.randint(0, 100)
    branch = ""
    if roll < 10:
        branch = rng.choice(letters) + rng.choice("AEIOU") + rng.choice(letters)
    elif roll < 40:
        branch = _digits(rng, 3)
    return f"{bank}{_country_code(rng, now)}{location}{branch}"


# --------------------------------------------------------------------------- hacker talk


def _verb(rng: random.Random, _now: datetime) -> str:
    return rng.choice(_HACKER_VERBS)[0]


def _ingverb(rng: random.Random, _now: datetime) -> str:
    return rng.choice(_HACKER_VERBS)[1]


def _phrase(rng: random.Random, now: datetime) -> str:
    """Fill one phrase shape; each slot draws its own word."""
    slots = {
        "a": lambda: rng.choice(_HACKER_ADJECTIVES),
        "n": lambda: rng.choice(_HACKER_NOUNS),
        "v": lambda: _verb(rng, now),
        "i": lambda: _ingverb(rng, now),
        "x": lambda: rng.choice(_HACKER_ABBREVIATIONS),
    }
    shape = rng.choice(_HACKER_PHRASES)
    out: list[str] = []
    for piece in string.Formatter().parse(shape):
        literal, field = piece[0], piece[1]
        out.append(literal)
        if field:
            out.append(slots[field]())
    text = "".join(out)
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------- images


def _avatar(rng: random.Random, _now: datetime) -> str:
    return f"https://cdn.fakercloud.com/avatars/{rng.choice(_AVATAR_HANDLES)}_128.jpg"


def _image_url(category: str) -> Generator:
    """Postman's image names are fixed lorempixel URLs (``http://lorempixel.com/640/480/cats``)."""
    url = "http://lorempixel.com/640/480" + (f"/{category}" if category else "")
    return lambda _rng, _now: url


def _image_data_uri(rng: random.Random, _now: datetime) -> str:
    """A URL-encoded SVG placeholder, encoded like ``encodeURIComponent``.

    Postman's own value has ``width="undefined"``; we draw a real size instead.
    """
    width, height = rng.choice(_IMAGE_SIZES)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" baseProfile="full" '
        f'width="{width}" height="{height}"><rect width="100%" height="100%" '
        f'fill="{rng.choice(_SVG_FILLS)}"/><text x="{width // 2}" y="{height // 2}" font-size="20" '
        f'alignment-baseline="middle" text-anchor="middle" fill="white">{width}x{height}</text></svg>'
    )
    return "data:image/svg+xml;charset=UTF-8," + quote(svg, safe="-_.!~*'()")


# --------------------------------------------------------------------------- internet


def _user_name(rng: random.Random, _now: datetime) -> str:
    """``Alia99``, ``Jarrell.Gutkowski`` or ``Lottie_Smitham24``."""
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    shape = rng.randint(0, 2)
    if shape == 0:
        return f"{first}{rng.randint(0, 99)}"
    joined = f"{first}{rng.choice('._')}{last}"
    return joined if shape == 1 else f"{joined}{rng.randint(0, 99)}"


def _email(rng: random.Random, now: datetime) -> str:
    return f"{_user_name(rng, now)}@{rng.choice(_FREE_EMAIL_DOMAINS)}"


def _example_email(rng: random.Random, now: datetime) -> str:
    return f"{_user_name(rng, now)}@{rng.choice(_EXAMPLE_EMAIL_DOMAINS)}"


def _domain_word(rng: random.Random, _now: datetime) -> str:
    return rng.choice(_FIRST_NAMES).lower()


def _domain_name(rng: random.Random, now: datetime) -> str:
    return f"{_domain_word(rng, now)}.{rng.choice(_DOMAIN_SUFFIXES)}"


def _url(rng: random.Random, now: datetime) -> str:
    return f"{rng.choice(('http', 'https'))}://{_domain_name(rng, now)}"


def _ipv4(rng: random.Random, _now: datetime) -> str:
    return ".".join(str(rng.randint(0, 255)) for _ in range(4))


def _ipv6(rng: random.Random, _now: datetime) -> str:
    return ":".join(f"{rng.getrandbits(16):04x}" for _ in range(8))


def _mac(rng: random.Random, _now: datetime) -> str:
    return ":".join(f"{rng.getrandbits(8):02x}" for _ in range(6))


def _hex_color(rng: random.Random, _now: datetime) -> str:
    """``#rrggbb``; faker averages each channel with 0, so channels stay in 00..80."""
    return "#" + "".join(f"{rng.randint(0, 256) // 2:02x}" for _ in range(3))


def _password(rng: random.Random, _now: datetime) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(15))


def _user_agent(rng: random.Random, _now: datetime) -> str:
    """One of the common browser shapes with random but plausible version numbers."""
    major, minor, build = rng.randint(60, 130), rng.randint(0, 9), rng.randint(1000, 6999)
    mac = f"10_{rng.randint(9, 15)}_{rng.randint(0, 7)}"
    webkit = f"AppleWebKit/{rng.randint(530, 605)}.{rng.randint(1, 40)} (KHTML, like Gecko)"
    shapes = (
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {webkit} Chrome/{major}.0.{build}.{minor} Safari/537.36",
        f"Mozilla/5.0 (X11; Linux x86_64; rv:{major}.0) Gecko/20100101 Firefox/{major}.{minor}",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X {mac}) {webkit} Version/{minor + 10}.1 Safari/605.1.15",
        f"Mozilla/5.0 (Macintosh; U; Intel Mac OS X {mac}; rv:{major}.{minor}) Gecko/20100101 "
        f"Firefox/{major}.{minor}",
        f"Mozilla/5.0 (compatible; MSIE {rng.randint(7, 10)}.0; Windows NT 6.{rng.randint(0, 3)}; "
        f"Trident/{rng.randint(4, 7)}.0)",
        f"Mozilla/5.0 (iPhone; CPU iPhone OS {rng.randint(12, 17)}_{minor} like Mac OS X) {webkit} "
        "Mobile/15E148",
    )
    return rng.choice(shapes)


# --------------------------------------------------------------------------- lorem ipsum


def _lorem_words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_LOREM) for _ in range(count))


def _sentence(rng: random.Random) -> str:
    """3..10 words, capitalised, ending with a full stop."""
    text = _lorem_words(rng, rng.randint(3, 10))
    return text[0].upper() + text[1:] + "."


def _lorem_sentence(rng: random.Random, _now: datetime) -> str:
    return _sentence(rng)


def _lorem_sentences_joined(rng: random.Random, count: int, separator: str) -> str:
    return separator.join(_sentence(rng) for _ in range(count))


def _lorem_sentences(rng: random.Random, _now: datetime) -> str:
    return _lorem_sentences_joined(rng, rng.randint(2, 6), " ")


def _lorem_paragraph(rng: random.Random, _now: datetime) -> str:
    return _lorem_sentences_joined(rng, 3 + rng.randint(0, 3), " ")


def _lorem_paragraphs(rng: random.Random, now: datetime) -> str:
    """Three paragraphs joined by faker's odd default separator, newline-space-carriage-return."""
    return "\n \r".join(_lorem_paragraph(rng, now) for _ in range(3))


def _lorem_lines(rng: random.Random, _now: datetime) -> str:
    return _lorem_sentences_joined(rng, rng.randint(1, 5), "\n")


def _lorem_text(rng: random.Random, now: datetime) -> str:
    """Any of the other lorem shapes, as faker's ``lorem.text`` picks one at random."""
    shapes: tuple[Generator, ...] = (
        lambda r, _n: r.choice(_LOREM),
        lambda r, _n: _lorem_words(r, 3),
        _lorem_sentence,
        _lorem_sentences,
        _lorem_paragraph,
        _lorem_paragraphs,
        _lorem_lines,
    )
    return rng.choice(shapes)(rng, now)


# --------------------------------------------------------------------------- random words


def _any_word(rng: random.Random, _now: datetime) -> str:
    """A word from one of the business, commerce, hacker and job lists (faker's ``random.word``)."""
    pools = (
        _DEPARTMENTS, _PRODUCT_ADJECTIVES, _PRODUCT_MATERIALS, _PRODUCTS, _COLORS, _CATCH_ADJECTIVES,
        _CATCH_DESCRIPTORS, _CATCH_NOUNS, _BS_ADJECTIVES, _BS_BUZZ, _BS_NOUNS, _STREET_SUFFIXES,
        _TRANSACTION_TYPES, _HACKER_NOUNS, _HACKER_ADJECTIVES, _HACKER_ABBREVIATIONS,
        _JOB_DESCRIPTORS, _JOB_AREAS, _JOB_TYPES,
    )  # fmt: skip
    return rng.choice(rng.choice(pools))


def _words(rng: random.Random, now: datetime) -> str:
    return " ".join(_any_word(rng, now) for _ in range(rng.randint(2, 5)))


# --------------------------------------------------------------------------- files


def _file_ext(rng: random.Random, _now: datetime) -> str:
    return rng.choice(rng.choice(list(_MIME_TYPES.values())))


def _common_file_ext(rng: random.Random, _now: datetime) -> str:
    return rng.choice(rng.choice(list(_COMMON_MIME_TYPES.values())))


def _file_type(rng: random.Random, _now: datetime) -> str:
    return rng.choice(sorted({mime.split("/")[0] for mime in _MIME_TYPES}))


def _mime_type(rng: random.Random, _now: datetime) -> str:
    return rng.choice(list(_MIME_TYPES))


def _file_stem(rng: random.Random, now: datetime) -> str:
    """1..3 random words, lower-cased, non-word characters turned into ``_``."""
    words = " ".join(_any_word(rng, now) for _ in range(rng.randint(1, 3)))
    return "".join(ch if ch.isalnum() else "_" for ch in words.lower())


def _file_name(rng: random.Random, now: datetime) -> str:
    return f"{_file_stem(rng, now)}.{_file_ext(rng, now)}"


def _common_file_name(rng: random.Random, now: datetime) -> str:
    return f"{_file_stem(rng, now)}.{_common_file_ext(rng, now)}"


def _file_path(rng: random.Random, now: datetime) -> str:
    return f"{rng.choice(_DIRECTORY_PATHS)}/{_file_name(rng, now)}"


def _semver(rng: random.Random, _now: datetime) -> str:
    return ".".join(str(rng.randint(0, 9)) for _ in range(3))


# --------------------------------------------------------------------------- the table

_GENERATORS: Mapping[str, Generator] = {
    # common
    "$guid": _guid,
    "$timestamp": _timestamp,
    "$isoTimestamp": _iso_timestamp,
    "$randomUUID": _guid,
    "$randomInt": _random_int,
    "$randomBoolean": _boolean,
    "$randomAlphaNumeric": _alpha_numeric,
    # names and jobs
    "$randomFirstName": _choice_of(_FIRST_NAMES),
    "$randomLastName": _choice_of(_LAST_NAMES),
    "$randomFullName": _full_name,
    "$randomNamePrefix": _choice_of(_NAME_PREFIXES),
    "$randomNameSuffix": _choice_of(_NAME_SUFFIXES),
    "$randomJobTitle": _job_title,
    "$randomJobDescriptor": _choice_of(_JOB_DESCRIPTORS),
    "$randomJobArea": _choice_of(_JOB_AREAS),
    "$randomJobType": _choice_of(_JOB_TYPES),
    # phone, address, location
    "$randomPhoneNumber": _phone_number,
    "$randomPhoneNumberExt": _phone_number_ext,
    "$randomCity": _city,
    "$randomStreetName": _street_name,
    "$randomStreetAddress": _street_address,
    "$randomCountry": _country,
    "$randomCountryCode": _country_code,
    "$randomLatitude": _latitude,
    "$randomLongitude": _longitude,
    "$randomLocale": _choice_of(_LOCALES),
    # commerce
    "$randomColor": _choice_of(_COLORS),
    "$randomDepartment": _choice_of(_DEPARTMENTS),
    "$randomProductName": _product_name,
    "$randomProductAdjective": _choice_of(_PRODUCT_ADJECTIVES),
    "$randomProductMaterial": _choice_of(_PRODUCT_MATERIALS),
    "$randomProduct": _choice_of(_PRODUCTS),
    "$randomPrice": _price,
    # company and business speak
    "$randomCompanyName": _company_name,
    "$randomCompanySuffix": _choice_of(_COMPANY_SUFFIXES),
    "$randomCatchPhrase": _catch_phrase,
    "$randomCatchPhraseAdjective": _choice_of(_CATCH_ADJECTIVES),
    "$randomCatchPhraseDescriptor": _choice_of(_CATCH_DESCRIPTORS),
    "$randomCatchPhraseNoun": _choice_of(_CATCH_NOUNS),
    "$randomBs": _bs,
    "$randomBsAdjective": _choice_of(_BS_ADJECTIVES),
    "$randomBsBuzz": _choice_of(_BS_BUZZ),
    "$randomBsNoun": _choice_of(_BS_NOUNS),
    # databases
    "$randomDatabaseColumn": _choice_of(_DB_COLUMNS),
    "$randomDatabaseType": _choice_of(_DB_TYPES),
    "$randomDatabaseCollation": _choice_of(_DB_COLLATIONS),
    "$randomDatabaseEngine": _choice_of(_DB_ENGINES),
    # dates
    "$randomDatePast": lambda rng, now: _shifted(rng, now, _YEAR, -1),
    "$randomDateFuture": lambda rng, now: _shifted(rng, now, _YEAR, +1),
    "$randomDateRecent": lambda rng, now: _shifted(rng, now, _DAY, -1),
    "$randomMonth": _choice_of(_MONTHS),
    "$randomWeekday": _choice_of(_WEEKDAYS),
    # finance
    "$randomBankAccount": lambda rng, _now: _digits(rng, 8),
    "$randomBankAccountName": _bank_account_name,
    "$randomCreditCardMask": lambda rng, _now: _digits(rng, 4),
    "$randomTransactionType": _choice_of(_TRANSACTION_TYPES),
    "$randomCurrencyCode": _choice_of([code for code, _name, _symbol in _CURRENCIES]),
    "$randomCurrencyName": _choice_of([name for _code, name, _symbol in _CURRENCIES]),
    "$randomCurrencySymbol": _currency_symbol,
    "$randomBitcoin": _bitcoin,
    "$randomBankAccountIban": _iban,
    "$randomBankAccountBic": _bic,
    # hacker talk and grammar
    "$randomAbbreviation": _choice_of(_HACKER_ABBREVIATIONS),
    "$randomAdjective": _choice_of(_HACKER_ADJECTIVES),
    "$randomNoun": _choice_of(_HACKER_NOUNS),
    "$randomVerb": _verb,
    "$randomIngverb": _ingverb,
    "$randomPhrase": _phrase,
    "$randomWord": _any_word,
    "$randomWords": _words,
    # images
    "$randomAvatarImage": _avatar,
    "$randomImageUrl": _image_url(""),
    **{name: _image_url(category) for name, category in _IMAGE_CATEGORIES.items()},
    "$randomImageDataUri": _image_data_uri,
    # internet
    "$randomEmail": _email,
    "$randomExampleEmail": _example_email,
    "$randomUserName": _user_name,
    "$randomProtocol": _choice_of(("http", "https")),
    "$randomUrl": _url,
    "$randomDomainName": _domain_name,
    "$randomDomainSuffix": _choice_of(_DOMAIN_SUFFIXES),
    "$randomDomainWord": _domain_word,
    "$randomIP": _ipv4,
    "$randomIPV6": _ipv6,
    "$randomUserAgent": _user_agent,
    "$randomHexColor": _hex_color,
    "$randomMACAddress": _mac,
    "$randomPassword": _password,
    # lorem ipsum
    "$randomLoremWord": _choice_of(_LOREM),
    "$randomLoremWords": lambda rng, _now: _lorem_words(rng, 3),
    "$randomLoremSentence": _lorem_sentence,
    "$randomLoremSlug": lambda rng, _now: _lorem_words(rng, 3).replace(" ", "-"),
    "$randomLoremSentences": _lorem_sentences,
    "$randomLoremParagraph": _lorem_paragraph,
    "$randomLoremParagraphs": _lorem_paragraphs,
    "$randomLoremText": _lorem_text,
    "$randomLoremLines": _lorem_lines,
    # files and system
    "$randomFileName": _file_name,
    "$randomCommonFileName": _common_file_name,
    "$randomMimeType": _mime_type,
    "$randomCommonFileType": _choice_of(_COMMON_FILE_TYPES),
    "$randomCommonFileExt": _common_file_ext,
    "$randomFileType": _file_type,
    "$randomFileExt": _file_ext,
    "$randomFilePath": _file_path,
    "$randomDirectoryPath": _choice_of(_DIRECTORY_PATHS),
    "$randomSemver": _semver,
}

DYNAMIC_NAMES: frozenset[str] = frozenset(_GENERATORS)
"""Every dynamic variable Postman resolves, with the leading ``$`` (118 names)."""


class DynamicValues:
    """Draws values for Postman's dynamic variables, one fresh value per occurrence.

    With a ``seed`` the sequence of values is reproducible call by call. ``now``
    pins the clock for ``$timestamp``, ``$isoTimestamp`` and ``$randomDate…``;
    without it those read the real clock at each call, even when seeded (so a
    seeded run reproduces everything except the time-based names). A naive
    ``now`` is taken to be UTC.
    """

    def __init__(self, seed: int | None = None, now: datetime | None = None) -> None:
        self._seed = seed
        self._random: random.Random | None = None  # made on first use: most requests draw no value
        self._now: datetime | None = None if now is None else _utc(now)

    @property
    def _rng(self) -> random.Random:
        """The generator, seeded on first use (seeding costs more than resolving a simple request)."""
        if self._random is None:
            self._random = random.SystemRandom() if self._seed is None else random.Random(self._seed)
        return self._random

    def value(self, name: str) -> str | None:
        """A new value for ``name`` (``"$guid"``), or None when Postman has no such variable."""
        generator = _GENERATORS.get(name)
        if generator is None:
            return None
        now = self._now if self._now is not None else datetime.now(timezone.utc)
        return generator(self._rng, now)

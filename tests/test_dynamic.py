"""Postman's dynamic variables: the complete name list, value formats, reproducibility."""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postman_gen.resolution.dynamic import DYNAMIC_NAMES, DynamicValues

CORPUS = Path("/work/shared/corpus")
NOW = datetime(2026, 11, 29, 10, 18, 28, 123456, tzinfo=timezone.utc)

# The keys of postman-collection's lib/superstring/dynamic-variables.js, in its order.
POSTMAN_NAMES = """
$guid $timestamp $isoTimestamp $randomInt $randomPhoneNumber $randomPhoneNumberExt $randomLocale
$randomWords $randomFilePath $randomDirectoryPath $randomCity $randomStreetName $randomStreetAddress
$randomCountry $randomCountryCode $randomLatitude $randomLongitude $randomColor $randomDepartment
$randomProductName $randomProductAdjective $randomProductMaterial $randomProduct $randomCompanyName
$randomCompanySuffix $randomCatchPhrase $randomBs $randomCatchPhraseAdjective $randomCatchPhraseDescriptor
$randomCatchPhraseNoun $randomBsAdjective $randomBsBuzz $randomBsNoun $randomDatabaseColumn
$randomDatabaseType $randomDatabaseCollation $randomDatabaseEngine $randomDatePast $randomDateFuture
$randomDateRecent $randomMonth $randomWeekday $randomBankAccount $randomBankAccountName
$randomCreditCardMask $randomPrice $randomTransactionType $randomCurrencyCode $randomCurrencyName
$randomCurrencySymbol $randomBitcoin $randomBankAccountIban $randomBankAccountBic $randomAbbreviation
$randomAdjective $randomNoun $randomVerb $randomIngverb $randomPhrase $randomAvatarImage $randomImageUrl
$randomAbstractImage $randomAnimalsImage $randomBusinessImage $randomCatsImage $randomCityImage
$randomFoodImage $randomNightlifeImage $randomFashionImage $randomPeopleImage $randomNatureImage
$randomSportsImage $randomTransportImage $randomImageDataUri $randomEmail $randomExampleEmail
$randomUserName $randomProtocol $randomUrl $randomDomainName $randomDomainSuffix $randomDomainWord
$randomIP $randomIPV6 $randomUserAgent $randomHexColor $randomMACAddress $randomPassword $randomLoremWord
$randomLoremWords $randomLoremSentence $randomLoremSlug $randomLoremSentences $randomLoremParagraph
$randomLoremParagraphs $randomLoremText $randomLoremLines $randomFirstName $randomLastName
$randomFullName $randomJobTitle $randomNamePrefix $randomNameSuffix $randomJobDescriptor $randomJobArea
$randomJobType $randomUUID $randomBoolean $randomWord $randomAlphaNumeric $randomFileName
$randomCommonFileName $randomMimeType $randomCommonFileType $randomCommonFileExt $randomFileType
$randomFileExt $randomSemver
""".split()

_UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
_JS_DATE = (
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} "
    r"\d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)"
)
_CAP_WORD = r"[A-Z][a-z]+"
_PHRASE = r"[^\n]+"  # one line of free text
_LOREM_SENTENCE = r"[A-Z][a-z]*( [a-z]+){2,9}\."
_LOREM_SENTENCES = rf"{_LOREM_SENTENCE}( {_LOREM_SENTENCE})*"
_USER = r"[A-Z][a-z]+([._][A-Z][a-z]+)?\d{0,2}"
_FILE = r"[a-z0-9_]+\.[a-z0-9]+"
_IMAGE = r"http://lorempixel\.com/640/480"
_PREFIX = r"(Mr\.|Mrs\.|Ms\.|Miss|Dr\.)"
_SUFFIX = r"(Jr\.|Sr\.|I|II|III|IV|V|MD|DDS|PhD|DVM)"
_COMPANY_SUFFIX = r"(Inc|and Sons|LLC|Group)"
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_COMMON_EXTS = (
    "pdf mpga mp2 mp2a mp3 m2a m3a wav png jpeg jpg jpe gif mp4 mp4v mpg4 mpeg mpg mpe m1v m2v html htm"
)
_COMMON_EXT = "({}|shtml)".format("|".join(_COMMON_EXTS.split()))

FORMATS: dict[str, str] = {
    "$guid": _UUID4,
    "$randomUUID": _UUID4,
    "$timestamp": r"[1-9]\d{8,10}",
    "$isoTimestamp": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z",
    "$randomInt": r"(0|[1-9]\d{0,2}|1000)",
    "$randomBoolean": r"(true|false)",
    "$randomAlphaNumeric": r"[0-9a-z]",
    "$randomFirstName": _CAP_WORD,
    "$randomLastName": _CAP_WORD,
    "$randomFullName": rf"({_PREFIX} )?[A-Z][a-z]+ [A-Z][a-z]+( {_SUFFIX})?",
    "$randomNamePrefix": _PREFIX,
    "$randomNameSuffix": _SUFFIX,
    "$randomJobTitle": rf"{_CAP_WORD} {_CAP_WORD} {_CAP_WORD}",
    "$randomJobDescriptor": _CAP_WORD,
    "$randomJobArea": _CAP_WORD,
    "$randomJobType": _CAP_WORD,
    "$randomPhoneNumber": r"\d{3}-\d{3}-\d{4}",
    "$randomPhoneNumberExt": r"[1-9]\d?-\d{3}-\d{3}-\d{4}",
    "$randomCity": r"([A-Z][a-z]+ )?[A-Z][a-z]+",
    "$randomStreetName": r"[A-Z][a-z]+ [A-Z][a-z]+",
    "$randomStreetAddress": r"[1-9]\d{2,4} [A-Z][a-z]+ [A-Z][a-z]+",
    "$randomCountry": r"[A-Z][A-Za-z' ]+",
    "$randomCountryCode": r"[A-Z]{2}",
    "$randomLatitude": r"-?\d{1,2}\.\d{4}",
    "$randomLongitude": r"-?\d{1,3}\.\d{4}",
    "$randomLocale": r"[a-z]{2,3}",
    "$randomColor": r"[a-z]+( [a-z]+)?",
    "$randomDepartment": _CAP_WORD,
    "$randomProductName": rf"{_CAP_WORD} {_CAP_WORD} {_CAP_WORD}",
    "$randomProductAdjective": _CAP_WORD,
    "$randomProductMaterial": _CAP_WORD,
    "$randomProduct": _CAP_WORD,
    "$randomPrice": r"(\d{1,3}|1000)\.\d{2}",
    "$randomCompanyName": rf"[A-Z][a-z]+( {_COMPANY_SUFFIX}| - [A-Z][a-z]+|, [A-Z][a-z]+ and [A-Z][a-z]+)",
    "$randomCompanySuffix": _COMPANY_SUFFIX,
    "$randomCatchPhrase": r"[A-Z][A-Za-z-]+ [a-z0-9 -]+",
    "$randomCatchPhraseAdjective": r"[A-Z][A-Za-z-]+",
    "$randomCatchPhraseDescriptor": r"[a-z0-9][a-z0-9 -]*",
    "$randomCatchPhraseNoun": r"[a-z][a-z -]*",
    "$randomBs": r"[a-z-]+ [A-Za-z0-9/-]+ [A-Za-z -]+",
    "$randomBsAdjective": r"[A-Za-z0-9/-]+",
    "$randomBsBuzz": r"[a-z-]+",
    "$randomBsNoun": r"[A-Za-z -]+",
    "$randomDatabaseColumn": r"[a-z][A-Za-z]*",
    "$randomDatabaseType": r"[a-z]+",
    "$randomDatabaseCollation": r"[a-z0-9]+_[a-z_]+",
    "$randomDatabaseEngine": r"[A-Za-z]+",
    "$randomDatePast": _JS_DATE,
    "$randomDateFuture": _JS_DATE,
    "$randomDateRecent": _JS_DATE,
    "$randomMonth": _MONTH,
    "$randomWeekday": r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
    "$randomBankAccount": r"\d{8}",
    "$randomBankAccountName": r"[A-Z][a-z]+( [A-Z][a-z]+)? Account",
    "$randomCreditCardMask": r"\d{4}",
    "$randomTransactionType": r"(deposit|withdrawal|payment|invoice)",
    "$randomCurrencyCode": r"[A-Z]{3}",
    "$randomCurrencyName": r"[A-Z][A-Za-z ]+",
    "$randomCurrencySymbol": r"\S{1,3}",
    "$randomBitcoin": r"[13][1-9A-HJ-NP-Za-km-z]{24,33}",
    "$randomBankAccountIban": r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}",
    "$randomBankAccountBic": r"[A-Z]{4}[A-Z]{2}[A-Z]1([A-Z0-9]{3})?",
    "$randomAbbreviation": r"[A-Z][A-Z0-9]+",
    "$randomAdjective": r"[a-z0-9][a-z0-9 -]*",
    "$randomNoun": r"[a-z]+( [a-z]+)?",
    "$randomVerb": r"[a-z]+( up)?",
    "$randomIngverb": r"[a-z]+ing( up)?",
    "$randomPhrase": r"[A-Z][^\n]+[!.]",
    "$randomWord": _PHRASE,
    "$randomWords": rf"{_PHRASE}",
    "$randomAvatarImage": r"https://cdn\.fakercloud\.com/avatars/[a-z]+_128\.jpg",
    "$randomImageUrl": _IMAGE,
    "$randomAbstractImage": _IMAGE + "/abstract",
    "$randomAnimalsImage": _IMAGE + "/animals",
    "$randomBusinessImage": _IMAGE + "/business",
    "$randomCatsImage": _IMAGE + "/cats",
    "$randomCityImage": _IMAGE + "/city",
    "$randomFoodImage": _IMAGE + "/food",
    "$randomNightlifeImage": _IMAGE + "/nightlife",
    "$randomFashionImage": _IMAGE + "/fashion",
    "$randomPeopleImage": _IMAGE + "/people",
    "$randomNatureImage": _IMAGE + "/nature",
    "$randomSportsImage": _IMAGE + "/sports",
    "$randomTransportImage": _IMAGE + "/transport",
    "$randomImageDataUri": r"data:image/svg\+xml;charset=UTF-8,%3Csvg%20[A-Za-z0-9%._~*'()!-]+",
    "$randomEmail": rf"{_USER}@(gmail|yahoo|hotmail)\.com",
    "$randomExampleEmail": rf"{_USER}@example\.(com|net|org)",
    "$randomUserName": _USER,
    "$randomProtocol": r"https?",
    "$randomUrl": r"https?://[a-z]+\.[a-z]{2,4}",
    "$randomDomainName": r"[a-z]+\.[a-z]{2,4}",
    "$randomDomainSuffix": r"[a-z]{2,4}",
    "$randomDomainWord": r"[a-z]+",
    "$randomIP": r"\d{1,3}(\.\d{1,3}){3}",
    "$randomIPV6": r"[0-9a-f]{4}(:[0-9a-f]{4}){7}",
    "$randomUserAgent": r"Mozilla/5\.0 \([^()]+\)( [^\n]+)?",
    "$randomHexColor": r"#[0-8][0-9a-f][0-8][0-9a-f][0-8][0-9a-f]",
    "$randomMACAddress": r"[0-9a-f]{2}(:[0-9a-f]{2}){5}",
    "$randomPassword": r"[A-Za-z0-9]{15}",
    "$randomLoremWord": r"[a-z]+",
    "$randomLoremWords": r"[a-z]+ [a-z]+ [a-z]+",
    "$randomLoremSentence": _LOREM_SENTENCE,
    "$randomLoremSlug": r"[a-z]+-[a-z]+-[a-z]+",
    "$randomLoremSentences": rf"{_LOREM_SENTENCE}( {_LOREM_SENTENCE}){{1,5}}",
    "$randomLoremParagraph": rf"{_LOREM_SENTENCE}( {_LOREM_SENTENCE}){{2,5}}",
    "$randomLoremParagraphs": rf"{_LOREM_SENTENCES}\n \r{_LOREM_SENTENCES}\n \r{_LOREM_SENTENCES}",
    "$randomLoremText": r"[A-Za-z][A-Za-z .\n\r]*",
    "$randomLoremLines": rf"{_LOREM_SENTENCE}(\n{_LOREM_SENTENCE}){{0,4}}",
    "$randomFileName": _FILE,
    "$randomCommonFileName": rf"[a-z0-9_]+\.{_COMMON_EXT}",
    "$randomMimeType": r"(application|audio|font|image|message|model|multipart|text|video)/[a-z0-9.+-]+",
    "$randomCommonFileType": r"(video|audio|image|text|application)",
    "$randomCommonFileExt": _COMMON_EXT,
    "$randomFileType": r"(application|audio|font|image|message|model|multipart|text|video)",
    "$randomFileExt": r"[a-z0-9]+",
    "$randomFilePath": rf"(/[A-Za-z0-9+]+)+/{_FILE}",
    "$randomDirectoryPath": r"(/[A-Za-z0-9+]+)+",
    "$randomSemver": r"\d\.\d\.\d",
}


def _check_value(name: str, value: str | None) -> None:
    """The shared per-name assertion: non-empty string of the documented shape, plus semantics."""
    assert isinstance(value, str) and value, name
    assert re.fullmatch(FORMATS[name], value), f"{name}: {value!r}"
    _check_semantics(name, value)


def _iban_is_valid(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _check_semantics(name: str, value: str) -> None:
    """What a regex cannot say: ranges, checksums, parseability."""
    if name in {"$guid", "$randomUUID"}:
        assert uuid.UUID(value).version == 4
    elif name == "$randomInt":
        assert 0 <= int(value) <= 1000
    elif name == "$randomIP":
        ipaddress.IPv4Address(value)
    elif name == "$randomIPV6":
        ipaddress.IPv6Address(value)
    elif name == "$randomLatitude":
        assert -90 <= float(value) <= 90
    elif name == "$randomLongitude":
        assert -180 <= float(value) <= 180
    elif name == "$randomPrice":
        assert 0 <= float(value) <= 1000
    elif name == "$randomBankAccountIban":
        assert 15 <= len(value) <= 31 and _iban_is_valid(value)
    elif name == "$randomBitcoin":
        assert 25 <= len(value) <= 34
    elif name == "$randomImageDataUri":
        svg = unquote(value.split(",", 1)[1])
        assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    elif name in {"$randomUrl", "$randomAvatarImage"}:
        assert urlsplit(value).netloc
    elif name in {"$randomDatePast", "$randomDateFuture", "$randomDateRecent"}:
        datetime.strptime(value[:24], "%a %b %d %Y %H:%M:%S")


def _parse_js_date(text: str) -> datetime:
    return datetime.strptime(text[:24], "%a %b %d %Y %H:%M:%S").replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------- the list


def test_count_is_postmans_118() -> None:
    assert len(POSTMAN_NAMES) == len(set(POSTMAN_NAMES)) == 118
    assert len(DYNAMIC_NAMES) == 118


def test_names_are_exactly_postmans() -> None:
    assert DYNAMIC_NAMES == frozenset(POSTMAN_NAMES)
    assert set(FORMATS) == DYNAMIC_NAMES


def test_every_name_has_the_dollar_prefix() -> None:
    assert all(name.startswith("$") for name in DYNAMIC_NAMES)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("name", sorted(DYNAMIC_NAMES))
def test_every_name_matches_its_format(name: str) -> None:
    values = DynamicValues(seed=7, now=NOW)
    for _ in range(40):
        _check_value(name, values.value(name))


@pytest.mark.parametrize("name", sorted(DYNAMIC_NAMES))
def test_unseeded_values_match_their_format(name: str) -> None:
    values = DynamicValues()
    for _ in range(10):
        _check_value(name, values.value(name))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64), offset=st.integers(min_value=0, max_value=10**9))
def test_any_seed_and_time_give_wellformed_values(seed: int, offset: int) -> None:
    start = datetime(2000, 1, 1, tzinfo=timezone.utc)
    values = DynamicValues(seed=seed, now=start + timedelta(seconds=offset))
    for name in sorted(DYNAMIC_NAMES):
        _check_value(name, values.value(name))


def test_examples_from_postmans_docs_match_our_formats() -> None:
    """Our regexes accept Postman's documented sample values where the shapes agree."""
    documented = {
        "$guid": "611c2e81-2ccb-42d8-9ddc-2d0bfa65c1b4",
        "$timestamp": "1562757107",
        "$isoTimestamp": "2020-06-09T21:10:36.177Z",
        "$randomPhoneNumber": "700-008-5275",
        "$randomPhoneNumberExt": "27-199-983-3864",
        "$randomLatitude": "-84.7514",
        "$randomLongitude": "171.7139",
        "$randomHexColor": "#47594a",
        "$randomIPV6": "dbe2:7ae6:119b:c161:1560:6dda:3a9b:90a9",
        "$randomMACAddress": "33:d4:68:5f:b4:c7",
        "$randomPassword": "t9iXe7COoDKv8k3",
        "$randomBankAccountBic": "EZIAUGJ1",
        "$randomBankAccountIban": "MU20ZPUN3039684000618086155TKZ",
        "$randomStreetAddress": "5742 Harvey Streets",
        "$randomCompanyName": "Johns - Kassulke",
        "$randomLoremSlug": "eos-aperiam-accusamus",
        "$randomLoremSentence": "Molestias consequuntur nisi non quod.",
        "$randomCommonFileName": "well_modulated.mpg4",
        "$randomFileName": "neural_sri_lanka_rupee_gloves.gdoc",
        "$randomFilePath": "/home/programming_chicken.cpio",
        "$randomPrice": "531.55",
        "$randomUserAgent": (
            "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.9.8; rv:15.6) Gecko/20100101 Firefox/15.6.6"
        ),
        "$randomImageUrl": "http://lorempixel.com/640/480",
        "$randomCatsImage": "http://lorempixel.com/640/480/cats",
    }
    for name, value in documented.items():
        assert re.fullmatch(FORMATS[name], value), name
    assert _iban_is_valid(documented["$randomBankAccountIban"])


# --------------------------------------------------------------------------- time


def test_time_values_follow_the_pinned_clock() -> None:
    values = DynamicValues(now=NOW)
    assert values.value("$timestamp") == "1795947508"
    assert values.value("$isoTimestamp") == "2026-11-29T10:18:28.123Z"


def test_timestamp_rounds_like_math_round() -> None:
    at = datetime(2026, 1, 1, 0, 0, 0, 600000, tzinfo=timezone.utc)
    assert DynamicValues(now=at).value("$timestamp") == str(int(at.timestamp()) + 1)


def test_naive_now_is_taken_as_utc() -> None:
    naive = DynamicValues(now=NOW.replace(tzinfo=None))
    assert naive.value("$isoTimestamp") == "2026-11-29T10:18:28.123Z"


def test_other_zones_are_converted_to_utc() -> None:
    plus_two = NOW.astimezone(timezone(timedelta(hours=2)))
    assert DynamicValues(now=plus_two).value("$isoTimestamp") == "2026-11-29T10:18:28.123Z"


def test_without_now_the_real_clock_is_used() -> None:
    before = datetime.now(timezone.utc).timestamp()
    stamp = int(DynamicValues(seed=1).value("$timestamp") or "0")
    after = datetime.now(timezone.utc).timestamp()
    assert round(before) <= stamp <= round(after)


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("$randomDatePast", NOW - timedelta(days=365, seconds=1), NOW - timedelta(seconds=1)),
        ("$randomDateFuture", NOW + timedelta(seconds=0), NOW + timedelta(days=365, seconds=1)),
        ("$randomDateRecent", NOW - timedelta(days=1, seconds=1), NOW - timedelta(seconds=0)),
    ],
)
def test_random_dates_fall_in_their_window(name: str, low: datetime, high: datetime) -> None:
    values = DynamicValues(seed=3, now=NOW)
    for _ in range(200):
        moment = _parse_js_date(values.value(name) or "")
        assert low <= moment <= high, (name, moment)


# --------------------------------------------------------------------------- reproducibility


def _sequence(seed: int | None) -> list[str | None]:
    values = DynamicValues(seed=seed, now=NOW)
    return [values.value(name) for name in POSTMAN_NAMES for _ in range(3)]


def test_same_seed_same_values() -> None:
    assert _sequence(42) == _sequence(42)


def test_different_seed_different_values() -> None:
    assert _sequence(42) != _sequence(43)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(), names=st.lists(st.sampled_from(sorted(DYNAMIC_NAMES)), min_size=1, max_size=30))
def test_any_seed_reproduces_any_call_order(seed: int, names: list[str]) -> None:
    first, second = DynamicValues(seed=seed, now=NOW), DynamicValues(seed=seed, now=NOW)
    assert [first.value(n) for n in names] == [second.value(n) for n in names]


def test_each_call_draws_a_fresh_value() -> None:
    values = DynamicValues(seed=5, now=NOW)
    for name in ("$guid", "$randomUUID", "$randomEmail", "$randomIPV6", "$randomLoremSentence"):
        assert len({values.value(name) for _ in range(20)}) > 1, name


def test_unseeded_instances_differ() -> None:
    assert DynamicValues().value("$guid") != DynamicValues().value("$guid")


# --------------------------------------------------------------------------- unknown names


@pytest.mark.parametrize("name", ["$nope", "guid", "", "$", "$GUID", "$randomint", "{{$guid}}", " $guid"])
def test_unknown_names_give_none(name: str) -> None:
    assert DynamicValues(seed=1).value(name) is None


def test_unknown_name_does_not_consume_randomness() -> None:
    probe, plain = DynamicValues(seed=9, now=NOW), DynamicValues(seed=9, now=NOW)
    probe.value("$nope")
    assert probe.value("$guid") == plain.value("$guid")


# --------------------------------------------------------------------------- real collections


def _corpus_dynamic_names() -> set[str]:
    found: set[str] = set()
    for path in sorted(CORPUS.glob("*.json")):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r"\{\{(\$[A-Za-z0-9_]+)\}\}", text))
    return found


def test_corpus_dynamic_variables_are_all_known() -> None:
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    used = _corpus_dynamic_names()
    if not used:
        pytest.skip("corpus uses no dynamic variables")
    assert used <= DYNAMIC_NAMES, sorted(used - DYNAMIC_NAMES)
    values = DynamicValues(seed=11, now=NOW)
    for name in sorted(used):
        _check_value(name, values.value(name))


def test_values_embed_in_json_bodies() -> None:
    """Every value survives being substituted into a JSON string literal and parsed back."""
    values = DynamicValues(seed=13, now=NOW)
    for name in sorted(DYNAMIC_NAMES):
        value = values.value(name) or ""
        assert json.loads(json.dumps({"v": value}))["v"] == value

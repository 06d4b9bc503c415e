"""The shipped knowledge: guide/knowledge/*.toml, loaded and validated.

lexicon.toml holds the concept tags and their variants, the patterns, the tags
found by sound and the negatable tags; categories.toml the categories in the
guide's order with their keyword rules, seed phrasings and route condition.
Anything malformed (an unknown tag, a bad weight, a regex that does not
compile, an unknown route) raises KnowledgeError naming the file, the line and
the term: start-up stops rather than a rule silently matching nothing.
The admin's local overrides are checked by the same `check_rules`.
"""

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import routes

DIRECTORY = Path(__file__).resolve().parent.parent / "knowledge"
MAX_WEIGHT = 20.0
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class KnowledgeError(ValueError):
    def __init__(self, file, line, term, message):
        self.file, self.line, self.term, self.reason = str(file), line, term, message
        where = f"{Path(file).name}:{line}" if line else Path(file).name
        super().__init__(f"{where}: {message}" + (f": {term!r}" if term else ""))


@dataclass(frozen=True)
class Rule:
    required: tuple[str, ...]
    forbidden: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Condition:
    route: str
    when: tuple[Rule, ...]


@dataclass
class CategoryKnowledge:
    code: str
    default_route: str
    rules: list[str] = field(default_factory=list)  # as written (the admin shows them)
    phrasings: list[str] = field(default_factory=list)
    condition: Condition | None = None


@dataclass
class Shipped:
    lexicon: dict[str, tuple[str, ...]]
    patterns: tuple[tuple[str, str, tuple[str, ...]], ...]
    sound_tags: frozenset[str]
    negated_before: frozenset[str]
    negated_after: frozenset[str]
    categories: dict[str, CategoryKnowledge]
    scope: dict = field(default_factory=dict)  # out-of-scope tags, see lexicon.toml [scope]

    @property
    def tags(self) -> set[str]:
        return set(self.lexicon) | {tag for _p, tag, _t in self.patterns}


def parse_rule(text: str, known_tags, *, file="(admin)", line=None) -> Rule:
    """'统一认证 + 激活 + !完成 *3' -> Rule; KnowledgeError on a bad weight or an unknown tag."""
    body, weight = text.strip(), 1.0
    if "*" in body:
        body, _, raw = body.rpartition("*")
        try:
            weight = float(raw)
        except ValueError:
            raise KnowledgeError(file, line, raw.strip(), "the weight is not a number") from None
        if not 0 < weight <= MAX_WEIGHT:
            raise KnowledgeError(
                file, line, raw.strip(), f"the weight must be in (0, {MAX_WEIGHT}]"
            )
    terms = [t.strip() for t in body.split("+")]
    if any(not t or t == "!" for t in terms):
        raise KnowledgeError(file, line, text, "an empty term (a stray '+' or '!')")
    required = tuple(t for t in terms if not t.startswith("!"))
    forbidden = tuple(t[1:].strip() for t in terms if t.startswith("!"))
    if not required:
        raise KnowledgeError(file, line, text, "a rule needs at least one term that must occur")
    for term in required + forbidden:
        if term not in known_tags:
            raise KnowledgeError(file, line, term, "unknown tag (not in lexicon.toml)")
    return Rule(required, forbidden, weight)


def check_rules(lines: str, known_tags, *, file="(admin)") -> list[Rule]:
    """The admin's keyword field, one rule a line ('#' comments), validated."""
    rules = []
    for number, line in enumerate((lines or "").splitlines(), start=1):
        if line.strip() and not line.strip().startswith("#"):
            rules.append(parse_rule(line, known_tags, file=file, line=number))
    return rules


def _read(path: Path) -> tuple[dict, list[str]]:
    raw = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw), raw.splitlines()
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise KnowledgeError(
            path, int(found.group(1)) if found else None, None, str(error)
        ) from None


def _line_of(lines: list[str], needle: str, after: int = 0) -> int | None:
    for number in range(after, len(lines)):
        if needle in lines[number]:
            return number + 1
    return None


def _strings(value, path, lines, name) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(
            path, _line_of(lines, name), name, "must be a list of non-empty strings"
        )
    return tuple(value)


def _scope(section: dict, known, path, lines) -> dict:
    out = {}
    for key in ("other_system", "campus_service", "other_owner", "named_number"):
        tag = section.get(key, "")
        if tag and tag not in known:
            raise KnowledgeError(path, _line_of(lines, f"{key} ="), tag, "unknown tag")
        out[key] = tag
    for key in ("own_systems", "candidate_account", "current_member", "own_accounts", "asking"):
        tags = section.get(key, [])
        tags = [tags] if isinstance(tags, str) else tags  # one tag or a list
        for tag in tags:
            if tag not in known:
                raise KnowledgeError(path, _line_of(lines, f"{key} ="), tag, "unknown tag")
        out[key] = frozenset(tags)
    return out


@functools.cache
def fingerprint(directory: Path = DIRECTORY) -> str:
    """A digest of the knowledge files a model is fitted against (read once per process)."""
    digest = hashlib.sha256()
    for name in ("lexicon.toml", "categories.toml", "labelled.jsonl"):
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()[:16]


def load(directory: Path = DIRECTORY) -> Shipped:
    lexicon_path, categories_path = directory / "lexicon.toml", directory / "categories.toml"
    data, lines = _read(lexicon_path)
    lexicon = {}
    for tag, variants in data.get("tags", {}).items():
        lexicon[tag] = _strings(variants, lexicon_path, lines, f'"{tag}"')
    patterns = []
    for item in data.get("pattern", []):
        regex, tag = item.get("regex", ""), item.get("tag", "")
        where = _line_of(lines, regex[:40]) if regex else None
        try:
            re.compile(regex)
        except re.error as error:
            raise KnowledgeError(lexicon_path, where, regex, f"bad regex ({error})") from None
        if not tag:
            raise KnowledgeError(lexicon_path, where, regex, "a pattern needs a tag")
        triggers = _strings(item.get("triggers"), lexicon_path, lines, "triggers")
        patterns.append((regex, tag, triggers))
    known = set(lexicon) | {tag for _r, tag, _t in patterns}

    def known_list(section, key):
        values = _strings(data.get(section, {}).get(key, []) or ["-"], lexicon_path, lines, key)
        for tag in values:
            if tag != "-" and tag not in known:
                raise KnowledgeError(lexicon_path, _line_of(lines, f"{key} ="), tag, "unknown tag")
        return frozenset(v for v in values if v != "-")

    shipped = Shipped(
        lexicon=lexicon,
        patterns=tuple(patterns),
        sound_tags=known_list("sound", "tags"),
        negated_before=known_list("negation", "before"),
        negated_after=known_list("negation", "after"),
        categories={},
        scope=_scope(data.get("scope", {}), known, lexicon_path, lines),
    )
    data, lines = _read(categories_path)
    for item in data.get("category", []):
        code = item.get("code", "")
        start = (_line_of(lines, f'code = "{code}"') or 1) - 1
        if not _CODE.match(code) or code in shipped.categories:
            raise KnowledgeError(categories_path, start + 1, code, "bad or repeated category code")
        default_route = item.get("default_route", "")
        if default_route not in routes.ROUTES:
            raise KnowledgeError(categories_path, start + 1, default_route, "unknown route")
        rules = list(_strings(item.get("rules", []) or ["-"], categories_path, lines, "rules"))
        rules = [r for r in rules if r != "-"]
        for rule in rules:
            parse_rule(rule, known, file=categories_path, line=_line_of(lines, f'"{rule}"', start))
        phrasings = list(item.get("phrasings", []))
        condition = None
        if "condition" in item:
            spec = item["condition"]
            route = spec.get("route", "")
            where = _line_of(lines, "condition", start)
            if route not in routes.ROUTES:
                raise KnowledgeError(categories_path, where, route, "unknown route")
            when = tuple(
                parse_rule(alt, known, file=categories_path, line=where)
                for alt in _strings(spec.get("when"), categories_path, lines, "when")
            )
            condition = Condition(route, when)
        shipped.categories[code] = CategoryKnowledge(
            code, default_route, rules, phrasings, condition
        )
    return shipped


SHIPPED = load()

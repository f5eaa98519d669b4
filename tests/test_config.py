"""helpgen.yml: defaults, every type check, unknown keys with hints, invalid YAML with its line."""
from __future__ import annotations

import pytest

from helpgen.config import DEFAULT_STAGES, Config, Stage, load_config, parse_config
from helpgen.errors import ConfigError


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.format_message().split("\n")


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path)
    assert config == Config()
    assert config.stage_ids == ("onboarding", "using", "deepening", "adapting", "loyalty")
    assert config.search.engine == "auto" and config.offline is False


def test_empty_file_gives_defaults(tmp_path):
    (tmp_path / "helpgen.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(tmp_path) == Config()


def test_full_config_is_read(tmp_path):
    (tmp_path / "helpgen.yml").write_text(
        "name: Acme\nsite_url: https://x.test/help/\nlanguage: zh\nlanguages: [zh, en, zh-Hant]\n"
        "logo: assets/logo.svg\ncolors: {primary: teal}\n"
        "support: {email: a@b.test, url: https://x.test/contact, response_time: 1 day, response_hours: 24}\n"
        "stages:\n  - id: start\n    label: Start\n    description: First steps\n  - id: fix\n    label: Fix\n"
        "feedback: {url: 'mailto:a@b.test?subject={id}', failed_searches: true}\n"
        "offline: true\nsearch: lunr\nmkdocs: {copyright: Acme Ltd}\n"
        "tickets: {columns: {question: Body, created: Created at}, team_domains: [acme.test], redact: ['ORD-\\d+']}\n",
        encoding="utf-8",
    )
    c = load_config(tmp_path)
    assert c.name == "Acme" and c.language == "zh" and c.all_languages == ("zh", "en", "zh-Hant")
    assert c.stages == (Stage("start", "Start", "First steps"), Stage("fix", "Fix", ""))
    assert c.support.response_hours == 24.0 and c.support.response_time == "1 day"
    assert c.feedback.failed_searches is True and c.offline is True and c.search.engine == "lunr"
    assert c.mkdocs == {"copyright": "Acme Ltd"} and c.colors == {"primary": "teal"}
    assert c.tickets.columns == {"question": "Body", "created": "Created at"}
    assert c.tickets.team_domains == ("acme.test",) and c.tickets.redact == ("ORD-\\d+",)


def test_unknown_key_has_line_and_hint():
    assert problems_of("name: x\nlangauge: en\n") == [
        "helpgen.yml:2: unknown key `langauge` in helpgen.yml, did you mean `language`?"
    ]


def test_unknown_nested_key_without_near_miss_lists_choices():
    assert problems_of("support:\n  phone: 123\n") == [
        "helpgen.yml:2: unknown key `phone` in `support`, use one of: email, url, response_time, response_hours"
    ]


def test_every_problem_in_one_pass():
    text = (
        "offline: yes please\n"            # 1
        "search: lunar\n"                   # 2
        "language: Chinese\n"               # 3
        "languages: [en, 42x]\n"            # 4
        "support:\n  response_hours: soon\n"  # 5-6
        "stages:\n  - id: a\n    lable: A\n  - id: a\n"  # 7-10
        "mkdocs: [1, 2]\n"                  # 11
        "tickets:\n  columns: {question: [a]}\n  redact: ['[a-']\n"  # 12-14
    )
    assert problems_of(text) == [
        "helpgen.yml:1: `offline` must be true or false, got `yes please`",
        "helpgen.yml:2: `search` is `lunar`, did you mean `lunr`? use one of: auto, lunr, pagefind",
        "helpgen.yml:3: `language` is `Chinese`, use a language code such as en, zh or zh-Hant",
        "helpgen.yml:4: `languages[1]` is `42x`, use a language code such as en, zh or zh-Hant",
        "helpgen.yml:6: `support.response_hours` must be a positive number of hours, got `soon`",
        "helpgen.yml:9: unknown key `lable` in `stages[0]`, did you mean `label`?",
        "helpgen.yml:10: stage id `a` is listed twice, give each stage its own id",
        "helpgen.yml:11: `mkdocs` must be a mapping of `key: value` lines, got a list",
        "helpgen.yml:13: `tickets.columns.question` must be text, got a list",
        "helpgen.yml:14: `tickets.redact` pattern `[a-` is not a valid regular expression: "
        "unterminated character set at position 0",
    ]


def test_single_problem_is_one_line_with_location():
    with pytest.raises(ConfigError) as info:
        parse_config("offline: 1\n")
    assert (info.value.path, info.value.line) == ("helpgen.yml", 1)
    assert info.value.format_message() == "helpgen.yml:1: `offline` must be true or false, got `1`"


def test_stages_must_be_a_list_of_mappings():
    assert problems_of("stages: onboarding\n") == [
        "helpgen.yml:1: `stages` must be a list of `- id: ..., label: ..., description: ...` entries"
    ]
    assert problems_of("stages:\n  - id: Has Space\n") == [
        "helpgen.yml:2: `stages[0].id` must be a short lower-case id such as `onboarding`, got `Has Space`"
    ]


def test_invalid_yaml_names_the_line(tmp_path):
    (tmp_path / "helpgen.yml").write_text("name: ok\nsupport:\n  email: [a\nlogo: x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = info.value.format_message()
    assert message.startswith("helpgen.yml:4: invalid YAML: ") and message.endswith(", fix the syntax")
    assert "\n" not in message


def test_top_level_must_be_a_mapping():
    assert problems_of("- a\n- b\n") == ["helpgen.yml:1: `helpgen.yml` must be a mapping of `key: value` lines"]


def test_default_stages_unchanged():
    assert [s.id for s in DEFAULT_STAGES] == ["onboarding", "using", "deepening", "adapting", "loyalty"]


def test_site_url_and_email_are_checked():
    assert problems_of("site_url: example.com/help\nsupport:\n  email: help at acme\n") == [
        "helpgen.yml:1: `site_url` is `example.com/help`, use a full URL such as https://example.github.io/help/",
        "helpgen.yml:3: `support.email` is `help at acme`, use an email address such as help@example.com",
    ]


def test_key_lines_are_kept_for_messages():
    config = parse_config("name: x\nstages:\n  - id: a\n  - id: b\n")
    assert config.line_of("stages[1]") == 4 and config.line_of("name") == 1 and config.line_of("logo") == 0

"""The `helpgen` command line: thin commands that parse options and call one library function."""
from __future__ import annotations

import dataclasses
import shutil
import traceback
import warnings
from pathlib import Path
from typing import Iterable

import click

from helpgen import __version__
from helpgen.coverage.cli import coverage_command
from helpgen.errors import ContentError, ExitStatus, HelpgenError, Problem, UnsafeOutputError
from helpgen.kb import problems as kb_problems
from helpgen.kb.checks import today_default
from helpgen.kb.draft import new_article_text
from helpgen.kb.load import load_kb, slugify
from helpgen.kb.model import LEVELS
from helpgen.kb.stages import new_article_stage
from helpgen.report.gaps import read_gap
from helpgen.search.cli import search_command

TEMPLATE = Path(__file__).parent / "init_template"
KB_ARG = click.Path(file_okay=False, path_type=Path)


class HelpgenGroup(click.Group):
    """A group that shows a traceback only with --debug: a HelpgenError prints its one line (and, with
    --debug, the traceback); any other exception becomes one `error:` line (with --debug: raised as is)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except HelpgenError:
            if ctx.meta.get("helpgen.debug"):
                traceback.print_exc()
            raise
        except (click.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except OSError as exc:  # a file or folder that cannot be read or written: the user's to fix
            if ctx.meta.get("helpgen.debug"):
                raise
            what = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
            path = exc.filename if isinstance(exc.filename, str) else None
            raise HelpgenError(f"{what}; check the path, its permissions and the free disk space", path) from exc
        except Exception as exc:  # a bug, or an input no check foresaw: one line, never a traceback
            if ctx.meta.get("helpgen.debug"):
                raise
            raise HelpgenError(unexpected(exc)) from exc


def unexpected(exc: BaseException) -> str:
    """The one line for an exception helpgen did not foresee."""
    what = " ".join(str(exc).split())[:200]
    return (f"unexpected {type(exc).__name__}{': ' + what if what else ''}; this is a helpgen bug, "
            "run again with --debug for the traceback and report it")


@click.group(cls=HelpgenGroup, epilog="Example: helpgen build mykb -o site/")
@click.version_option(__version__, prog_name="helpgen")
@click.option("--debug", is_flag=True, help="Show the full traceback of errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a folder of Markdown help articles into a searchable help centre."""
    ctx.meta["helpgen.debug"] = debug
    if not debug:  # a library's RuntimeWarning is two lines of Python internals: shown with --debug only
        ctx.with_resource(warnings.catch_warnings())
        warnings.simplefilter("ignore")


@main.command(epilog="Example: helpgen init mykb")
@click.argument("kb", type=KB_ARG)
def init(kb: Path) -> None:
    """Create a new knowledge base from the template, ready to build."""
    if kb.exists() and any(kb.iterdir()):
        raise UnsafeOutputError("folder is not empty, choose a new folder name (init never overwrites files)", str(kb))
    shutil.copytree(TEMPLATE, kb, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    count = len(list((kb / "articles").rglob("*.md")))
    click.echo(f"created {kb} with {count} articles; next: helpgen check {kb} && helpgen build {kb}")


@main.command(epilog='Example: helpgen new mykb "Reset your password" --level beginner')
@click.argument("kb", type=KB_ARG)
@click.argument("title", required=False)
@click.option("--level", type=click.Choice(LEVELS), help="beginner, advanced or troubleshooting.")
@click.option("--stage", help="A stage id from helpgen.yml (default: the gap's suggested stage, else the stage "
                              "whose articles mostly have this level).")
@click.option("--area", default="", help="Folder under articles/ (the product area), e.g. billing.")
@click.option("--from-gap", type=int, help="Start a draft from gap N of the last `helpgen coverage` report.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The coverage report folder --from-gap reads (default: the last one `helpgen coverage` wrote).")
def new(kb: Path, title: str | None, level: str | None, stage: str | None, area: str, from_gap: int | None,
        report_dir: Path | None) -> None:
    """Write a new article with its front matter (never overwrites)."""
    base, problems = load_kb(kb)
    gap = read_gap(kb, from_gap, report_dir) if from_gap else {}
    title = title or gap.get("suggested_title") or ""
    level = level or gap.get("suggested_level")
    stage = stage or new_article_stage(base, level, gap.get("suggested_stage"))
    if not title or not level or not stage:
        raise click.UsageError("give a TITLE and --level (or --from-gap N)")
    if stage not in base.config.stage_ids:
        raise click.BadParameter(f"`{stage}` is not a stage, use one of: {', '.join(base.config.stage_ids)}", param_hint="--stage")
    path = kb / "articles" / area.strip("/") / f"{slugify(title)}.md"
    if path.exists():
        raise UnsafeOutputError("already exists, choose another title or --area", str(path))
    text = new_article_text(title, level, stage, updated=today_default().isoformat(),
                            questions=gap.get("questions") or gap.get("examples", ()), draft=bool(gap), seed=gap.get("best_reply") or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"created {path}")


@main.command(epilog="Example: helpgen check mykb --strict")
@click.argument("kb", type=KB_ARG)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every untranslated article.")
def check(kb: Path, strict: bool, fmt: str, verbose: bool) -> None:
    """Report every problem of the KB as `path:line: error|warning|info: message`."""
    problems, untranslated = kb_problems.check_report(kb, verbose=verbose)
    if fmt == "json":
        click.echo(kb_problems.problems_json(problems, untranslated))
    else:
        echo_problems(problems)
        click.echo(kb_problems.count_line(problems))
    if kb_problems.fails(problems, strict):
        click.get_current_context().exit(ExitStatus.PROBLEMS)


@main.command(epilog="Example: helpgen build mykb -o site/ --strict")
@click.argument("kb", type=KB_ARG)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Output folder (replaced only if helpgen built it).")
@click.option("--strict", is_flag=True, help="Stop on warnings too.")
@click.option("--include-insights", is_flag=True, help="Publish the coverage insights pages too.")
@click.option("--offline", is_flag=True, help="Make the site work from file:// (same as `offline: true`).")
@click.option("--no-cache", is_flag=True, help="Render every page again: neither read nor write KB/.helpgen/cache/.")
def build(kb: Path, output: Path, strict: bool, include_insights: bool, offline: bool, no_cache: bool) -> None:
    """Check the KB, then build the static help centre."""
    from helpgen.site.build import build_site
    from helpgen.ui import phases

    base, problems = kb_problems.build_problems(kb)
    if base is None or kb_problems.fails(problems, strict):
        echo_problems(problems, err=True)
        why = " (--strict)" if strict and not any(p.severity == "error" for p in problems) else ""
        raise ContentError(f"build stopped: {kb_problems.count_line(problems)}{why}; fix them and build again")
    if offline:
        base = dataclasses.replace(base, config=dataclasses.replace(base.config, offline=True))
    try:
        with phases() as update:  # warnings wait until the bar is gone
            result = build_site(base, output, include_insights=include_insights, strict=strict, cache=not no_cache,
                                progress=lambda phase, done, total: update(BUILD_PHASES.get(phase, phase), done, total))
    finally:
        echo_problems(problems, err=True)
    echo_problems(result.warnings, err=True)
    click.echo(f"built {result.pages} pages into {result.output} ({kb_problems.count_line([*problems, *result.warnings])})")


BUILD_PHASES = {"prepare": "Preparing pages", "markdown": "Converting Markdown", "pages": "Rendering pages",
                "search index": "Search index"}


@main.command(epilog="Example: helpgen serve mykb --port 8001")
@click.argument("kb", type=KB_ARG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def serve(kb: Path, host: str, port: int) -> None:
    """Preview the help centre, rebuilding and reloading on every edit."""
    import logging
    import signal

    from helpgen.site.serve import serve as serve_site

    kb_problems.open_kb(kb)
    handler = logging.StreamHandler()  # rebuild times, warnings and `path:line` errors of later edits
    logging.getLogger("helpgen.serve").addHandler(handler)
    logging.getLogger("helpgen.serve").setLevel(logging.INFO)
    def stop(signum: int, frame: object) -> None:  # `kill` cleans up like Ctrl+C (temporary folders)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        serve_site(kb, host=host, port=port, on_ready=lambda url, seconds: click.echo(
            f"Serving on {url} (first build {seconds:.1f} s; Ctrl+C to stop)"))
    finally:
        signal.signal(signal.SIGTERM, previous)
        logging.getLogger("helpgen.serve").removeHandler(handler)


def echo_problems(problems: Iterable[Problem], err: bool = False) -> None:
    """One line per problem: `path:line: error|warning: message`."""
    for problem in problems:
        click.echo(str(problem), err=err)


main.add_command(search_command)
main.add_command(coverage_command)

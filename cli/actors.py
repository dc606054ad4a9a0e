"""Commands about the gazetteer of actors: learn from gold what annotators added."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli import app

console = Console()
actors = typer.Typer(help="The gazetteer of canonical actors (annotation/actors.yaml or your own file).",
                     no_args_is_help=True)
app.add_typer(actors, name="actors")
SHOWN = 10  # refused aliases listed; the rest are counted


@actors.command("learn")
def learn(
    gold: Annotated[Path, typer.Argument(help="An export folder written by `corpus export` (or its gold.jsonl).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The gazetteer file to write, for a person to review.")],
    base: Annotated[Path | None, typer.Option(
        "--actors", help="The gazetteer to start from: the one the corpus was pushed with "
        "(default annotation/actors.yaml).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists (say --out = --actors to "
                                        "update that file in place; its comments are kept).")] = False,
) -> None:
    """Write the actors annotators added, and the aliases they tagged for known actors, into a gazetteer.

    The file written is --actors with its comments, plus one entry per new
    actor (a local: id, the typed name, the label and country its gold spans
    have most often, the span texts as aliases) and the new aliases of known
    actors, each with a comment saying where it was learned. Review it, then
    push with it. Example:

        corpus actors learn corpus/gold/v1 --out actors.learned.yaml
        corpus push --actors actors.learned.yaml
    """
    from annotation.gazetteer import GAZETTEER_FILE, load_gazetteer
    from exports.learn import learn_actors, read_gold, write_gazetteer

    base = base or GAZETTEER_FILE
    learned = learn_actors(read_gold(gold), load_gazetteer(base))
    existed = out.exists()
    written = write_gazetteer(base, learned, out, source=gold.name, force=force)
    verb = "[yellow]replaced[/]" if existed else "wrote"
    console.print(f"{verb} {out}: {len(written.actors)} actors, {len(learned.new_actors)} new "
                  f"and {sum(map(len, learned.aliases.values()))} new alias(es) of {len(learned.aliases)} known "
                  f"actor(s), learned from {gold}")
    for actor in learned.new_actors:
        console.print(f"  new {actor.id}: {actor.name} ({actor.label}, {actor.country}), "
                      f"{actor.mentions} mention(s), aliases {', '.join(actor.aliases)}")
    for actor_id, aliases in learned.aliases.items():
        console.print(f"  {actor_id}: + {', '.join(aliases)}")
    if learned.refused:
        console.print(f"[yellow]{len(learned.refused)} alias(es) not written[/]: another actor claims them")
        for alias, wanted, owner in learned.refused[:SHOWN]:
            console.print(f"  {alias!r} tagged as {wanted}, but it is an alias of {owner}")
    if learned.unlisted:
        console.print(f"[yellow]{len(learned.unlisted)} id(s) in the gold are not in {base}[/] "
                      f"(pushed with another gazetteer?): {', '.join(learned.unlisted[:SHOWN])}")
    console.print(f"review {out}, then `corpus push --actors {out}`")

"""The Ray engine: the same job on Ray Data, from a laptop to a cluster, with the same output and resume.

    read     one task per input file streams its rows (`iter_file_items`: same parsing, same bad-row rules)
    map      `map_batches(Summarizer)` on a pool of `workers` actors (default: one per CPU of the cluster),
             each loading the scorer once
    write    the driver takes the batches in input order (`preserve_order`) and records them in the same
             crash-safe journal as the local engine

Results are small (bullets and spans, not the article), so funnelling them through the driver costs little,
and it keeps one output file, the errors file and exact resume after a crash of the driver. Ray retries
failed tasks and restarts failed actors itself. Needs `pip install 'highlights[ray]'`; input paths must be
readable from every node (a shared filesystem) and `highlights` installed on every node.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

from highlights.batch.inputs import Fields, Item, Position, iter_file_items
from highlights.batch.work import Outcome, Settings, summarize_item, warm
from highlights.errors import HighlightsError

BLOCK_BYTES = 256 << 10
_ITEM_COLUMNS = ("file", "record", "path", "line", "id", "article", "error", "rest_of_file")


def _item_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("file", pa.int64()),
            ("record", pa.int64()),
            ("path", pa.string()),
            ("line", pa.int64()),
            ("id", pa.string()),
            ("article", pa.string()),
            ("error", pa.string()),
            ("rest_of_file", pa.bool_()),
        ]
    )


def _result_schema():
    import pyarrow as pa

    return pa.schema(
        [
            *(_item_schema().field(name) for name in _ITEM_COLUMNS if name != "article"),
            ("ok", pa.bool_()),
            ("json", pa.string()),
        ]
    )


def _read_files(tasks, fields: Fields, batch_rows: int):
    """Ray read step: each task row names one input file; stream its rows in batches of `batch_rows`."""
    import pyarrow as pa

    for task in tasks.to_pylist():
        rows: list[dict] = []
        for item in iter_file_items(Path(task["path"]), task["file"], task["skip"], fields):
            rows.append({name: getattr(item, name) for name in _ITEM_COLUMNS})
            if len(rows) >= batch_rows:
                yield pa.Table.from_pylist(rows, schema=_item_schema())
                rows = []
        if rows:
            yield pa.Table.from_pylist(rows, schema=_item_schema())


class Summarizer:
    """Ray actor: loads the scorer once, then summarizes batch after batch."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        warm(settings)

    def __call__(self, batch):
        import pyarrow as pa

        rows = []
        for row in batch.to_pylist():
            outcome = summarize_item(Item(**row), self.settings)
            del row["article"]
            rows.append({**row, "ok": outcome.ok, "json": outcome.json})
        return pa.Table.from_pylist(rows, schema=_result_schema())


def run_chunks_on_ray(
    files: list[Path], start: Position, fields: Fields, settings: Settings, engine
) -> Iterator[tuple[list[Item], list[Outcome]]]:
    """(chunk, outcomes) in input order from `start` on, computed on Ray; `engine` is a `job.Engine`."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise HighlightsError("the Ray engine needs Ray: pip install 'highlights[ray]'") from None
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # the CLI shows its own progress and summary
    # Ray guesses the actors' input count from the one block per file before reading; the read step then
    # yields many small blocks, and every actor gets work.
    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors", category=UserWarning)
    if not ray.is_initialized():
        if engine.ray_address:
            ray.init(address=engine.ray_address, log_to_driver=False, logging_level=logging.ERROR)
        else:
            ray.init(num_cpus=engine.workers, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    workers = engine.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the journal records one position: order matters
    context.enable_progress_bars = False
    # Blocks are the unit handed to an actor: small blocks spread one big file over every actor (Ray's
    # default of 128 MiB could give a whole file's rows to one actor) and keep memory flat.
    context.target_max_block_size = BLOCK_BYTES

    tasks = [
        {"file": i, "path": str(files[i]), "skip": start.record if i == start.file else 0}
        for i in range(start.file, len(files))
    ]
    if not tasks:
        return
    dataset = (
        ray.data.from_items(tasks, override_num_blocks=len(tasks))
        # Reading is light next to summarizing: it takes no CPU slot, so the actors can have them all.
        # Ray's hint wants a one-argument function; the other arguments come from fn_kwargs.
        .map_batches(
            _read_files,  # type: ignore[arg-type]
            fn_kwargs={"fields": fields, "batch_rows": engine.chunk_size},
            batch_size=1,
            batch_format="pyarrow",
            num_cpus=0,
        )
        .map_batches(
            Summarizer,
            fn_constructor_kwargs={"settings": settings},
            batch_size=engine.chunk_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
    )
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
        rows = batch.to_pylist()  # type: ignore[union-attr]  # a pyarrow Table: Ray's hint ignores batch_format
        items = [Item(article=None, **{name: row[name] for name in _ITEM_COLUMNS if name != "article"}) for row in rows]
        yield items, [Outcome(row["ok"], row["json"]) for row in rows]

"""The pages of one document while the visitor scans it: add, rescan, delete, reorder, then build.

Pages already scanned stay here whatever happens to the scanner, so a fault never costs the visitor
their earlier pages. Blank pages are flagged (`blank_pages`) for the UI to ask about, never dropped
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.scan.imaging.pipeline import DocumentFile, OutputSpec, ProcessedPage, ScanPipeline
from kiosk.scan.imaging.raster import Raster


@dataclass
class ScannedDocument:
    label: str                      # becomes the file name (made ASCII, no spaces)
    spec: OutputSpec
    pipeline: ScanPipeline
    pages: list[ProcessedPage] = field(default_factory=list)
    file: DocumentFile | None = None        # None again once the pages change after a build
    _last: DocumentFile | None = field(default=None, repr=False)

    def add(self, raw: Raster) -> ProcessedPage:
        page = self.pipeline.process_page(raw)
        self.pages.append(page)
        self.file = None
        return page

    def replace(self, index: int, raw: Raster) -> ProcessedPage:
        """Rescan of page `index`."""
        page = self.pipeline.process_page(raw)
        self.pages[index] = page
        self.file = None
        return page

    def delete(self, index: int) -> None:
        del self.pages[index]
        self.file = None

    def move(self, index: int, to: int) -> None:
        self.pages.insert(to, self.pages.pop(index))
        self.file = None

    def blank_pages(self) -> list[int]:
        return [i for i, p in enumerate(self.pages) if p.blank.blank]

    def build(self, out_dir: Path, spec: OutputSpec | None = None) -> DocumentFile:
        """Write the file (replacing an earlier one); `spec` overrides, e.g. grey after too large."""
        if spec is not None:
            self.spec = spec
        previous = self.file or self._last
        self.file = self.pipeline.build_document([p.raster for p in self.pages], self.spec, out_dir,
                                                 self.label)
        if previous is not None and previous.path != self.file.path:
            previous.path.unlink(missing_ok=True)       # one file per document in the session
        self._last = self.file
        return self.file

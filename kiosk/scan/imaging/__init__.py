"""Document imaging: scanned pages to upload-ready files (no Qt; run it off the GUI thread).

Modules: `raster` (pixels + dpi), `geometry` (crop, deskew, upright), `quality` (blank pages, the
legibility floor), `compress` (fit a size limit), `pipeline` (ScanPipeline, OutputSpec), `document`
(the pages of one document while the visitor scans), `samples` (fictitious pages for the simulator),
`helper` (the second thread the pipeline's independent parts run on), `jpeg` (JPEG in bands on both
cores).
"""

"""Reading client exports: sources, column mapping, label coercion, schemas, validation, results.

The first step of the pipeline: a raw export in, a canonical frame and a quarantine out
(:class:`~cxkit.io.result.ReadResult`). The readers are re-exported as ``cx.read_*``.
"""

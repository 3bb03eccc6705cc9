"""``meetwire bench``: throughput and latency of the pipeline against ceilings measured in the same run."""

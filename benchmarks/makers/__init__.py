"""What the benchmarks make to measure with (packets, databases): modules, not benchmarks; no figures of their own."""

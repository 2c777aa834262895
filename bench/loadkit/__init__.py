"""The load-and-fault kit (`make bench-load`): see bench/README-load.md."""

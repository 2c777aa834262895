#!/usr/bin/env python
"""Same as the `tandem` command."""

from tandem.__main__ import main

if __name__ == "__main__":
    main()

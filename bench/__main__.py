"""`python -m bench`: run the workshop benchmarks."""

import sys

from bench.run import main

sys.exit(main())

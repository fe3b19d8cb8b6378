import sys

from domain.lending import main

sys.exit(main())

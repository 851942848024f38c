"""``python -m postman_gen``."""

from postman_gen.cli import main

if __name__ == "__main__":
    main()

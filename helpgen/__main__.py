"""`python -m helpgen`: the same command line as the `helpgen` script."""
from helpgen.cli import main

main(prog_name="helpgen")

"""The pure core: domain types, catalogue, units, geography and validation. No I/O beyond
reading the package's own data files."""

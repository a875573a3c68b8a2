"""A request opened and referenced: the store-first step every channel shares."""

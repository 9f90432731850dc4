"""The disk-placement experiment: Bonnie++ and fio on native directories and shares."""

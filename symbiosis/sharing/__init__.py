"""Mutualisation: offers and needs of shared spaces, equipment, services and skills, matched in
time (168 weekly hour slots), allocated within every offer's hourly capacity, and exported as
calendars. See docs/SHARING.md."""

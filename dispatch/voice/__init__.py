"""The herder's call to the duty number: the keypad menu's decisions and acting on them."""

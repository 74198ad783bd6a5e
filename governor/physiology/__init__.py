"""Pure functions of the body: energetics, reserve (D' balance), thermal balance, heart rate."""

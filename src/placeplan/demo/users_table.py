"""Prints the demo users' sign-in details (run by `make demo`)."""

from placeplan.demo.loader import DEMO_PASSWORD, demo_users

if __name__ == "__main__":
    print(f"\nDemo users (password for all: {DEMO_PASSWORD}):")
    for user in demo_users():
        print(f"  {user['username']:<34} {user['role']:<9} {user['organisation']}")
    print()

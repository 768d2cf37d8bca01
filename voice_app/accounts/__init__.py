"""Staff accounts: users, roles, teams, sign-in and sign-out."""

"""The super-user programme as pure rules: ledger, points, anti-gaming, badges, ranks, leaderboards, rewards, discovery."""

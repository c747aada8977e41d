"""Analysis pages over the guest archive: profile, loyalty, profit, future, promotion and consumption per class."""

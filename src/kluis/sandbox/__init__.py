"""A bank to develop and demo against: Berlin Group AIS, SCA redirect, cards, synthetic data."""

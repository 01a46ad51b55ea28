"""医保定点管理桌面系统 (yibao-desktop): designated institutions, agreements and personnel scoring for medical-insurance
offices."""

__version__ = "0.2.0"

"""The school itself: school, groups and pupils, absence reasons and the school calendar."""

"""Planning: the staffing planner and the judgement of wait estimates on real waits."""

"""Reports for meetings about a child: written with the child's and the family's words."""

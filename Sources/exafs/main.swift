// exafs: placeholder entry point (replaced by the ArgumentParser command tree).
print("exafs")

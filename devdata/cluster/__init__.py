"""`make cluster`'s load run (deploy/cluster.sh brings up the rest): signed-in coaches and
teachers through HAProxy while one web node is stopped and started again, and a report
release made on the primary watched until administrators read it from the replica."""

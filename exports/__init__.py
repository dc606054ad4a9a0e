"""Turn annotations into gold datasets: agreement, gold resolution, writers."""

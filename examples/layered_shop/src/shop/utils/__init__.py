"""Cross-cutting helpers shared by every part of the shop."""

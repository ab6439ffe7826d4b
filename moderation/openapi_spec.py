SPEC = {"openapi": "3.1.0", "info": {"title": "Comment moderation", "version": "1"}, "paths": {}}

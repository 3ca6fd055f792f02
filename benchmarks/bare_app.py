"""The floor: a bare Flask route that parses a JSON body and answers JSON, nothing else."""

from flask import Flask, request

app = Flask(__name__)


@app.post("/bare")
def bare():
    return {"received": request.get_json()}, 201

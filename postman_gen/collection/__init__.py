"""Reading collections: files and schemas (loader), the model, item selection, iteration data.

Data flow: collection -> resolution -> (views | render | replay) -> reports; cli drives them.
"""
